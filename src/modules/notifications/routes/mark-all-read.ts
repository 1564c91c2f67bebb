import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ReadAllBodySchema, ReadAllResultSchema } from '../schemas';
import { markAllRead } from '../services/inbox';

export const markAllReadRoute = createRoute({
  method: 'post',
  path: '/api/notifications/read-all',
  operationId: 'markAllRead',
  tags: ['Notifications'],
  summary: 'Mark every unread notification of the caller read',
  description: 'Optionally only those of one type. Archived notifications are included; expired ones are left alone.',
  ...protectedAccess('notifications:update'),
  request: { body: { required: false, content: { 'application/json': { schema: ReadAllBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(ReadAllResultSchema), 'How many were marked read'),
    ...errorResponses(400, 401, 413, 415, 500, 503),
  },
});

export const markAllReadHandler: RouteHandler<typeof markAllReadRoute, AppEnv> = async (c) =>
  ok(c, await markAllRead(serviceContext(c), c.req.valid('json').type));
