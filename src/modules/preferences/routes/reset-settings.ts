import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ResetSettingsBodySchema, UserSettingsSchema } from '../schemas';
import { resetSettings } from '../service';

export const resetSettingsRoute = createRoute({
  method: 'post',
  path: '/api/settings/reset',
  operationId: 'resetSettings',
  tags: ['Settings'],
  summary: 'Reset some or all settings groups to their defaults',
  description:
    'Resets the named groups (all when omitted): their `user_preferences` columns go back to the defaults (the theme to the ' +
    'current default theme) and their `user_settings` rows are removed. Fields locked by a non-configurable template keep their ' +
    'value. Resetting the theme or notifications group also needs `settings:theme` / `settings:notifications`.',
  ...protectedAccess('settings:update'),
  request: { body: { required: false, content: { 'application/json': { schema: ResetSettingsBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserSettingsSchema), 'The settings after the reset'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const resetSettingsHandler: RouteHandler<typeof resetSettingsRoute, AppEnv> = async (c) =>
  ok(c, await resetSettings(serviceContext(c), c.req.valid('json')?.categories));
