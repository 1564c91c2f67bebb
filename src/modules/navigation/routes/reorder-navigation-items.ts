import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ReorderNavigationBodySchema, ReorderResultSchema } from '../schemas';
import { reorderNavigationItems } from '../services/admin';

export const reorderNavigationItemsRoute = createRoute({
  method: 'post',
  path: '/api/navigation/items/reorder',
  operationId: 'reorderNavigationItems',
  tags: ['Navigation'],
  summary: 'Set the sort order of many navigation items at once',
  description: 'All or nothing: an unknown key answers 404 NAVIGATION_ITEM_NOT_FOUND (listing the keys) and changes nothing.',
  ...protectedAccess('navigation:manage'),
  request: { body: { required: true, content: { 'application/json': { schema: ReorderNavigationBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(ReorderResultSchema), 'Reordered'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

export const reorderNavigationItemsHandler: RouteHandler<typeof reorderNavigationItemsRoute, AppEnv> = async (c) =>
  ok(c, await reorderNavigationItems(serviceContext(c), c.req.valid('json')));
