import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { IdParamsSchema, LoginThrottleSchema } from '../schemas';
import { getLoginThrottle } from '../services/login-throttle';

export const getLoginThrottleRoute = createRoute({
  method: 'get',
  path: '/api/users/{id}/login-throttle',
  operationId: 'getLoginThrottle',
  tags: ['Users'],
  summary: 'Why a user’s sign-ins are throttled',
  description:
    'The account-wide failure counter and lock (`users.locked_until`, `failed_login_attempts`) and each source’s row of login throttling: ' +
    'failures, block, last successful sign-in. `POST /api/users/{id}/unlock` clears them. One database round trip.',
  ...protectedAccess('users:read'),
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(successSchema(LoginThrottleSchema), 'The user’s login throttling'),
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const getLoginThrottleHandler: RouteHandler<typeof getLoginThrottleRoute, AppEnv> = async (c) =>
  ok(c, await getLoginThrottle(serviceContext(c), c.req.valid('param').id));
