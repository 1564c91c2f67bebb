import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { LoginSetupBodySchema, TwoFactorSetupSchema } from '../schemas';
import { setupTwoFactorAtLogin } from '../services/two-factor-login';

export const setupTwoFactorAtLoginRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/login-setup',
  operationId: 'setupTwoFactorAtLogin',
  tags: ['Account security'],
  summary: 'Enrol an authenticator while signing in, when two-factor is required',
  description:
    'When the system setting `features.two_factor_required` is on, a user without two-factor gets `twoFactorSetupRequired: true` and a challenge ' +
    'from `POST /api/auth/login` instead of tokens. This returns a new secret and its otpauth:// URI for that challenge; ' +
    '`POST /api/auth/2fa/verify` with the challenge and a code from the app switches two-factor on and finishes the sign-in. Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('2fa-login-setup')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: LoginSetupBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(TwoFactorSetupSchema), 'The secret to enrol in the authenticator app'),
    ...errorResponses(400, 401, 409, 413, 415, 429, 500, 503),
  },
});

export const setupTwoFactorAtLoginHandler: RouteHandler<typeof setupTwoFactorAtLoginRoute, AppEnv> = async (c) => {
  const setup = await setupTwoFactorAtLogin(serviceContext(c), c.req.valid('json').challengeToken);
  noStore(c);
  return ok(c, setup);
};
