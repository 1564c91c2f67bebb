import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { listSchema, okList } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ListNotificationsQuerySchema, NotificationSchema } from '../schemas';
import { listNotifications } from '../services/inbox';

export const listNotificationsRoute = createRoute({
  method: 'get',
  path: '/api/notifications',
  operationId: 'listNotifications',
  tags: ['Notifications'],
  summary: "The caller's notifications, newest first",
  description:
    'Expired notifications are never listed. Without `archived`, the inbox (unarchived) is listed. Cursor pagination: pass `meta.pagination.nextCursor` as `cursor` for the next page (null on the last).',
  ...protectedAccess('notifications:read'),
  request: { query: ListNotificationsQuerySchema },
  responses: {
    200: jsonContent(listSchema(NotificationSchema), 'One page of notifications'),
    ...errorResponses(400, 401, 500, 503),
  },
});

export const listNotificationsHandler: RouteHandler<typeof listNotificationsRoute, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const page = await listNotifications(serviceContext(c), query);
  return okList(c, page.items, { limit: query.limit, nextCursor: page.nextCursor });
};
