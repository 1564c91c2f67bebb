import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { setRefreshCookie } from '../cookies';
import { LoginBodySchema, LoginResultSchema } from '../schemas';
import { login } from '../services/login';

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'login',
  tags: ['Auth'],
  summary: 'Sign in with email (or username) and password',
  description:
    'Returns the user, an access token and a refresh token, and sets the refresh token as an HttpOnly cookie. ' +
    'With two-factor enabled it returns `twoFactorRequired: true` and a short-lived challenge instead. ' +
    'Unknown accounts, wrong passwords and locked accounts all answer 401 INVALID_CREDENTIALS. Rate limited per IP and per account.',
  ...publicAccess,
  middleware: [rateLimitByIp('login')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: LoginBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(LoginResultSchema), 'Signed in, or a two-factor challenge'),
    ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503),
  },
});

export const loginHandler: RouteHandler<typeof loginRoute, AppEnv> = async (c) => {
  const result = await login(serviceContext(c), c.req.valid('json'));
  noStore(c);
  if (result.twoFactorRequired) return ok(c, result);
  const { absoluteExpiresAt, ...data } = result;
  setRefreshCookie(c, data.refreshToken, (absoluteExpiresAt.getTime() - c.get('now').getTime()) / 1000);
  return ok(c, data);
};
