import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UserSettingListQuerySchema, UserSettingSchema } from '../schemas';
import { listUserSettings } from '../service';

export const listUserSettingsRoute = createRoute({
  method: 'get',
  path: '/api/user-settings',
  operationId: 'listUserSettings',
  tags: ['Settings'],
  summary: 'The caller’s typed settings, optionally of one category, with the template defaults they have not set',
  ...protectedAccess('settings:view'),
  request: { query: UserSettingListQuerySchema },
  responses: {
    200: jsonContent(successSchema(z.array(UserSettingSchema)), 'Settings by category and key'),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const listUserSettingsHandler: RouteHandler<typeof listUserSettingsRoute, AppEnv> = async (c) =>
  ok(c, await listUserSettings(serviceContext(c), c.req.valid('query')));
