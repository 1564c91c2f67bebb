import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { NotificationSettingsSchema } from '../schemas';
import { getSettingsGroup } from '../service';

export const getNotificationSettingsRoute = createRoute({
  method: 'get',
  path: '/api/settings/notifications',
  operationId: 'getNotificationSettings',
  tags: ['Settings'],
  summary: 'The caller’s notification settings',
  ...protectedAccess('settings:view'),
  responses: {
    200: jsonContent(successSchema(NotificationSettingsSchema), 'notification settings'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getNotificationSettingsHandler: RouteHandler<typeof getNotificationSettingsRoute, AppEnv> = async (c) => ok(c, await getSettingsGroup(serviceContext(c), 'notifications'));
