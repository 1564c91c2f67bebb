import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { GetUserNavigationQuerySchema, NavigationResponseSchema } from '../schemas';
import { getUserNavigation } from '../services/read';

export const getUserNavigationRoute = createRoute({
  method: 'get',
  path: '/api/navigation/user',
  operationId: 'getUserNavigation',
  tags: ['Navigation'],
  summary: "The caller's navigation: filtered by their permissions and personalised",
  description:
    'Items the caller may see (no permissions, or any one of them; `*:*` and `resource:*` count), shown in the variant, not hidden, not ' +
    'disabled and not hidden by the caller; ordered by the caller’s custom order, pinned items first (`pinned: true`). A child whose ' +
    'parent is filtered out is dropped. At most one database round trip; none when the tree and the caller’s preferences are cached.',
  ...protectedAccess('navigation:view'),
  request: { query: GetUserNavigationQuerySchema },
  responses: {
    200: jsonContent(successSchema(NavigationResponseSchema), "The caller's navigation variants"),
    ...errorResponses(400, 401, 500, 503),
  },
});

export const getUserNavigationHandler: RouteHandler<typeof getUserNavigationRoute, AppEnv> = async (c) =>
  ok(c, await getUserNavigation(serviceContext(c), c.req.valid('query')));
