import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { NotificationIdParamsSchema, NotificationSchema, UpdateNotificationBodySchema } from '../schemas';
import { updateNotification } from '../services/inbox';

export const updateNotificationRoute = createRoute({
  method: 'patch',
  path: '/api/notifications/{id}',
  operationId: 'updateNotification',
  tags: ['Notifications'],
  summary: 'Mark a notification read or unread, archive or unarchive it',
  description: '`readAt` and `archivedAt` are set when the flag turns on (kept if already on) and cleared when it turns off.',
  ...protectedAccess('notifications:update'),
  request: {
    params: NotificationIdParamsSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateNotificationBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(NotificationSchema), 'The updated notification'),
    ...errorResponses(400, 401, 404, 413, 415, 500, 503),
  },
});

export const updateNotificationHandler: RouteHandler<typeof updateNotificationRoute, AppEnv> = async (c) =>
  ok(c, await updateNotification(serviceContext(c), c.req.valid('param').id, c.req.valid('json')));
