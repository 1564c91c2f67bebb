import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { TwoFactorSetupSchema } from '../schemas';
import { setupTwoFactor } from '../services/two-factor';

export const setupTwoFactorRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/setup',
  operationId: 'setupTwoFactor',
  tags: ['Account security'],
  summary: 'Start a two-factor (TOTP) setup: a new secret and its otpauth:// URI',
  description:
    'The secret is shown only here and stored encrypted; two-factor stays off until `POST /api/auth/2fa/confirm` with a code. ' +
    'Needs a fresh proof of identity (403 REAUTHENTICATION_REQUIRED). 409 TWO_FACTOR_ALREADY_ENABLED when it is on.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  responses: {
    200: jsonContent(successSchema(TwoFactorSetupSchema), 'The secret to enrol in the authenticator app'),
    ...errorResponses(401, 403, 409, 500, 503),
  },
});

export const setupTwoFactorHandler: RouteHandler<typeof setupTwoFactorRoute, AppEnv> = async (c) => {
  const setup = await setupTwoFactor(serviceContext(c));
  noStore(c);
  return ok(c, setup);
};
