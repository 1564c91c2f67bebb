import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { IdParamsSchema, LoginThrottleSchema } from '../schemas';
import { unlockUser } from '../services/login-throttle';

export const unlockUserRoute = createRoute({
  method: 'post',
  path: '/api/users/{id}/unlock',
  operationId: 'unlockUser',
  tags: ['Users'],
  summary: 'Clear a user’s login throttling',
  description:
    'Clears the account-wide failure counter and lock and every source’s failures and block; sources the account never signed in from are ' +
    'forgotten, known ones stay known. Written in one batch with its audit row. A user holding a permission the caller lacks is ' +
    '403 `PROTECTED_TARGET`. Answers the state after the change.',
  ...protectedAccess('users:update'),
  request: { params: IdParamsSchema },
  responses: {
    200: jsonContent(successSchema(LoginThrottleSchema), 'The user’s login throttling, cleared'),
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const unlockUserHandler: RouteHandler<typeof unlockUserRoute, AppEnv> = async (c) =>
  ok(c, await unlockUser(serviceContext(c), c.req.valid('param').id));
