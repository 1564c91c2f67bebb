import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ProofBodySchema, TwoFactorDisabledSchema } from '../schemas';
import { disableTwoFactor } from '../services/two-factor';

export const disableTwoFactorRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/disable',
  operationId: 'disableTwoFactor',
  tags: ['Account security'],
  summary: 'Switch two-factor off (password or a current code required)',
  description:
    'The secret and the backup codes are deleted. A wrong password or code is 400 INVALID_PASSWORD / INVALID_TWO_FACTOR_CODE and counts ' +
    'towards the login lockout. 409 TWO_FACTOR_NOT_ENABLED when it is off. Rate limited per user.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: ProofBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(TwoFactorDisabledSchema), 'Two-factor is off'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const disableTwoFactorHandler: RouteHandler<typeof disableTwoFactorRoute, AppEnv> = async (c) =>
  ok(c, await disableTwoFactor(serviceContext(c), c.req.valid('json')));
