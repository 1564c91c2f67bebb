import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { GetNavigationQuerySchema, NavigationResponseSchema } from '../schemas';
import { getNavigation } from '../services/read';

export const getNavigationRoute = createRoute({
  method: 'get',
  path: '/api/navigation',
  operationId: 'getNavigation',
  tags: ['Navigation'],
  summary: 'The full navigation tree, one variant or all four',
  description:
    'Every item (hidden ones flagged `hidden: true`; disabled ones only with `includeDisabled=true`), nested and sorted, for the ' +
    'requested variant or for all four when `type` is omitted. Served from KV (no database round trip) when cached.',
  ...protectedAccess('navigation:view'),
  request: { query: GetNavigationQuerySchema },
  responses: {
    200: jsonContent(successSchema(NavigationResponseSchema), 'The navigation variants'),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const getNavigationHandler: RouteHandler<typeof getNavigationRoute, AppEnv> = async (c) =>
  ok(c, await getNavigation(serviceContext(c), c.req.valid('query')));
