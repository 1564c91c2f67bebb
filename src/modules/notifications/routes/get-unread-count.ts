import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UnreadCountSchema } from '../schemas';
import { unreadCount } from '../services/inbox';

export const getUnreadCountRoute = createRoute({
  method: 'get',
  path: '/api/notifications/unread-count',
  operationId: 'getUnreadCount',
  tags: ['Notifications'],
  summary: 'How many of the caller’s notifications are unread (inbox, unexpired)',
  ...protectedAccess('notifications:read'),
  responses: {
    200: jsonContent(successSchema(UnreadCountSchema), 'Unread count, in total and by priority'),
    ...errorResponses(401, 500, 503),
  },
});

export const getUnreadCountHandler: RouteHandler<typeof getUnreadCountRoute, AppEnv> = async (c) => ok(c, await unreadCount(serviceContext(c)));
