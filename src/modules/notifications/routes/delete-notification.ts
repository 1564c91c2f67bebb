import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeleteNotificationResultSchema, NotificationIdParamsSchema } from '../schemas';
import { deleteNotification } from '../services/inbox';

export const deleteNotificationRoute = createRoute({
  method: 'delete',
  path: '/api/notifications/{id}',
  operationId: 'deleteNotification',
  tags: ['Notifications'],
  summary: 'Delete one of the caller’s notifications',
  ...protectedAccess('notifications:delete'),
  request: { params: NotificationIdParamsSchema },
  responses: {
    200: jsonContent(successSchema(DeleteNotificationResultSchema), 'Deleted'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export const deleteNotificationHandler: RouteHandler<typeof deleteNotificationRoute, AppEnv> = async (c) =>
  ok(c, await deleteNotification(serviceContext(c), c.req.valid('param').id));
