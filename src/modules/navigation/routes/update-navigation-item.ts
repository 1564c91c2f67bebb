import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { KeyParamsSchema, NavigationItemRecordSchema, UpdateNavigationItemBodySchema } from '../schemas';
import { updateNavigationItem } from '../services/admin';

export const updateNavigationItemRoute = createRoute({
  method: 'patch',
  path: '/api/navigation/items/{key}',
  operationId: 'updateNavigationItem',
  tags: ['Navigation'],
  summary: 'Change or move a navigation item',
  description:
    'Only the fields sent change. `parentKey` moves the item (null: to the root); an item can never become its own ancestor ' +
    '(400 NAVIGATION_CYCLE). A new `key` must be free (409 NAVIGATION_KEY_EXISTS).',
  ...protectedAccess('navigation:manage'),
  request: {
    params: KeyParamsSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateNavigationItemBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(NavigationItemRecordSchema), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503),
  },
});

export const updateNavigationItemHandler: RouteHandler<typeof updateNavigationItemRoute, AppEnv> = async (c) =>
  ok(c, await updateNavigationItem(serviceContext(c), c.req.valid('param').key, c.req.valid('json')));
