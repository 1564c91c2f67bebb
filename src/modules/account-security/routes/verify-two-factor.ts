import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { setRefreshCookie } from '../../auth/cookies';
import { TwoFactorLoginSchema, VerifyTwoFactorBodySchema } from '../schemas';
import { verifyTwoFactorLogin } from '../services/two-factor-login';

export const verifyTwoFactorRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/verify',
  operationId: 'verifyTwoFactor',
  tags: ['Account security'],
  summary: 'Finish signing in with a two-factor code or a backup code',
  description:
    'Takes the `challengeToken` of `POST /api/auth/login` and a TOTP `code` or a `backupCode`, and answers like a login (tokens, user, refresh cookie). ' +
    'A TOTP code is refused once its time step (or a later one) was used; a backup code works once. Wrong codes are 400 INVALID_TWO_FACTOR_CODE ' +
    'and count towards the login lockout; an expired or invalid challenge is 401 INVALID_CHALLENGE. After a required enrolment at login ' +
    '(`POST /api/auth/2fa/login-setup`) this switches two-factor on and returns the backup codes once. Rate limited per IP and per user.',
  ...publicAccess,
  middleware: [rateLimitByIp('2fa-verify')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: VerifyTwoFactorBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(TwoFactorLoginSchema), 'Signed in'),
    ...errorResponses(400, 401, 409, 413, 415, 429, 500, 503),
  },
});

export const verifyTwoFactorHandler: RouteHandler<typeof verifyTwoFactorRoute, AppEnv> = async (c) => {
  const { absoluteExpiresAt, ...data } = await verifyTwoFactorLogin(serviceContext(c), c.req.valid('json'));
  noStore(c);
  setRefreshCookie(c, data.refreshToken, (absoluteExpiresAt.getTime() - c.get('now').getTime()) / 1000);
  return ok(c, data);
};
