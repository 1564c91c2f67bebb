import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdateSettingsBodySchema, UserSettingsSchema } from '../schemas';
import { updateSettings } from '../service';

export const updateSettingsRoute = createRoute({
  method: 'put',
  path: '/api/settings',
  operationId: 'updateSettings',
  tags: ['Settings'],
  summary: 'Change some of the caller’s settings, in any groups',
  description:
    'Partial. Changing the theme group also needs `settings:theme`, the notifications group `settings:notifications`. ' +
    '`theme.name` is `default`, `dark`, `light`, `auto` or the name of an active theme (400 INVALID_THEME otherwise); non-configurable fields answer 403 SETTING_NOT_CONFIGURABLE; ' +
    'either way nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('settings:update'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdateSettingsBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserSettingsSchema), 'The settings after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateSettingsHandler: RouteHandler<typeof updateSettingsRoute, AppEnv> = async (c) =>
  ok(c, await updateSettings(serviceContext(c), c.req.valid('json')));
