import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedNavigationItemSchema, KeyParamsSchema } from '../schemas';
import { deleteNavigationItem } from '../services/admin';

export const deleteNavigationItemRoute = createRoute({
  method: 'delete',
  path: '/api/navigation/items/{key}',
  operationId: 'deleteNavigationItem',
  tags: ['Navigation'],
  summary: 'Delete a navigation item and its whole subtree',
  description: 'Children go with their parent (the foreign key cascades), as do permissions and user preferences of every deleted item.',
  ...protectedAccess('navigation:manage'),
  request: { params: KeyParamsSchema },
  responses: {
    200: jsonContent(successSchema(DeletedNavigationItemSchema), 'Deleted'),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const deleteNavigationItemHandler: RouteHandler<typeof deleteNavigationItemRoute, AppEnv> = async (c) =>
  ok(c, await deleteNavigationItem(serviceContext(c), c.req.valid('param').key));
