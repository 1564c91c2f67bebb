import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { KeyParamsSchema, NavigationItemRecordSchema, SetNavigationPermissionsBodySchema } from '../schemas';
import { setNavigationItemPermissions } from '../services/admin';

export const setNavigationItemPermissionsRoute = createRoute({
  method: 'put',
  path: '/api/navigation/items/{key}/permissions',
  operationId: 'setNavigationItemPermissions',
  tags: ['Navigation'],
  summary: 'Replace the permissions a navigation item requires',
  description: 'Any one of the permissions shows the item; an empty list shows it to everyone. Unknown permissions: 400 UNKNOWN_PERMISSION.',
  ...protectedAccess('navigation:manage'),
  request: {
    params: KeyParamsSchema,
    body: { required: true, content: { 'application/json': { schema: SetNavigationPermissionsBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(NavigationItemRecordSchema), 'The item with its new permissions'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

export const setNavigationItemPermissionsHandler: RouteHandler<typeof setNavigationItemPermissionsRoute, AppEnv> = async (c) =>
  ok(c, await setNavigationItemPermissions(serviceContext(c), c.req.valid('param').key, c.req.valid('json').permissions));
