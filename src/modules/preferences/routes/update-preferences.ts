import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdatePreferencesBodySchema, UserPreferencesSchema } from '../schemas';
import { updatePreferences } from '../service';

export const updatePreferencesRoute = createRoute({
  method: 'put',
  path: '/api/users/preferences',
  operationId: 'updatePreferences',
  tags: ['Profile'],
  summary: 'Change some of the caller’s preferences',
  description:
    'Partial: only the fields sent change. `theme` is `default`, `dark`, `light`, `auto` (`auto` follows the client’s colour scheme) or the name of an active theme (400 INVALID_THEME otherwise); a field an admin made ' +
    'non-configurable (a `setting_templates` row with `userConfigurable: false`) answers 403 SETTING_NOT_CONFIGURABLE. ' +
    'Either way nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('profile:preferences'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdatePreferencesBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserPreferencesSchema), 'The preferences after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updatePreferencesHandler: RouteHandler<typeof updatePreferencesRoute, AppEnv> = async (c) =>
  ok(c, await updatePreferences(serviceContext(c), c.req.valid('json')));
