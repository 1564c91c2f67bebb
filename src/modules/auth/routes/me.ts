import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { sessionAccess } from '../../../middleware/access';
import { MeSchema } from '../schemas';
import { me } from '../services/sessions';

export const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  operationId: 'getCurrentUser',
  tags: ['Auth'],
  summary: 'The signed-in user, with roles, permissions and the current session',
  ...sessionAccess(),
  responses: {
    200: jsonContent(successSchema(MeSchema), 'The authenticated user'),
    ...errorResponses(401, 500, 503),
  },
});

export const meHandler: RouteHandler<typeof meRoute, AppEnv> = async (c) => ok(c, await me(serviceContext(c)));
