import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { CreateNavigationItemBodySchema, NavigationItemRecordSchema } from '../schemas';
import { createNavigationItem } from '../services/admin';

export const createNavigationItemRoute = createRoute({
  method: 'post',
  path: '/api/navigation/items',
  operationId: 'createNavigationItem',
  tags: ['Navigation'],
  summary: 'Create a navigation item',
  description:
    'Keys are unique (409 NAVIGATION_KEY_EXISTS); the parent must exist (400 NAVIGATION_PARENT_NOT_FOUND); permissions are ' +
    '`resource:action` names that must exist (400 UNKNOWN_PERMISSION). Visible to users on their next request.',
  ...protectedAccess('navigation:manage'),
  request: { body: { required: true, content: { 'application/json': { schema: CreateNavigationItemBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(NavigationItemRecordSchema), 'Created'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const createNavigationItemHandler: RouteHandler<typeof createNavigationItemRoute, AppEnv> = async (c) =>
  created(c, await createNavigationItem(serviceContext(c), c.req.valid('json')));
