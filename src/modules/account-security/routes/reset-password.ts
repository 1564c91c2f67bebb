import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { PasswordChangedSchema, ResetPasswordBodySchema } from '../schemas';
import { resetPassword } from '../services/password';

export const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/reset-password',
  operationId: 'resetPassword',
  tags: ['Account security'],
  summary: 'Set a new password with the token from the reset email',
  description:
    'The new password follows the registration policy (and may not contain the username, the email’s local part or a name). Account ' +
    'recovery: every session and every API key of the user is revoked, every other reset and verification link and every pending two-factor ' +
    'sign-in challenge stops working, login throttling is cleared, a security event is written and a notice saying all this is emailed. ' +
    '400 INVALID_TOKEN for an unknown or used token, 400 LINK_EXPIRED after an hour (`POST /api/auth/verify-reset-token` checks first). Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('reset-password')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ResetPasswordBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(PasswordChangedSchema), 'Password reset'),
    ...errorResponses(400, 413, 415, 429, 500, 503),
  },
});

export const resetPasswordHandler: RouteHandler<typeof resetPasswordRoute, AppEnv> = async (c) => {
  const { token, newPassword } = c.req.valid('json');
  return ok(c, await resetPassword(serviceContext(c), token, newPassword));
};
