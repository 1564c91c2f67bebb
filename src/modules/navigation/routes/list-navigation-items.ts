import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { NavigationItemRecordSchema } from '../schemas';
import { listNavigationItems } from '../services/read';

export const listNavigationItemsRoute = createRoute({
  method: 'get',
  path: '/api/navigation/items',
  operationId: 'listNavigationItems',
  tags: ['Navigation'],
  summary: 'Every navigation item as stored, for administration',
  description: 'Flat, parents before their children, with sort orders, variant flags and required permissions.',
  ...protectedAccess('navigation:manage'),
  responses: {
    200: jsonContent(successSchema(z.array(NavigationItemRecordSchema)), 'Every item'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const listNavigationItemsHandler: RouteHandler<typeof listNavigationItemsRoute, AppEnv> = async (c) =>
  ok(c, await listNavigationItems(serviceContext(c)));
