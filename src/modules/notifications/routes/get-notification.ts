import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { NotificationIdParamsSchema, NotificationSchema } from '../schemas';
import { getNotification } from '../services/inbox';

export const getNotificationRoute = createRoute({
  method: 'get',
  path: '/api/notifications/{id}',
  operationId: 'getNotification',
  tags: ['Notifications'],
  summary: 'One of the caller’s notifications',
  description: 'Another user’s notification, or an expired one, is 404 NOTIFICATION_NOT_FOUND.',
  ...protectedAccess('notifications:read'),
  request: { params: NotificationIdParamsSchema },
  responses: {
    200: jsonContent(successSchema(NotificationSchema), 'The notification'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export const getNotificationHandler: RouteHandler<typeof getNotificationRoute, AppEnv> = async (c) =>
  ok(c, await getNotification(serviceContext(c), c.req.valid('param').id));
