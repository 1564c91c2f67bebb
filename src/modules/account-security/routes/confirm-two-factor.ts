import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ConfirmTwoFactorBodySchema, TwoFactorEnabledSchema } from '../schemas';
import { confirmTwoFactor } from '../services/two-factor';

export const confirmTwoFactorRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/confirm',
  operationId: 'confirmTwoFactor',
  tags: ['Account security'],
  summary: 'Switch two-factor on with a code from the new authenticator',
  description:
    'Returns ten single-use backup codes, shown only now (stored as keyed hashes). 400 INVALID_TWO_FACTOR_CODE for a wrong code, ' +
    '409 TWO_FACTOR_SETUP_NOT_STARTED without a setup, 409 TWO_FACTOR_ALREADY_ENABLED when it is on.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: ConfirmTwoFactorBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(TwoFactorEnabledSchema), 'Two-factor is on'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const confirmTwoFactorHandler: RouteHandler<typeof confirmTwoFactorRoute, AppEnv> = async (c) => {
  const confirmed = await confirmTwoFactor(serviceContext(c), c.req.valid('json').code);
  noStore(c);
  return ok(c, confirmed);
};
