import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { ResetTokenStatusSchema, VerifyResetTokenBodySchema } from '../schemas';
import { checkResetToken } from '../services/password';

export const verifyResetTokenRoute = createRoute({
  method: 'post',
  path: '/api/auth/verify-reset-token',
  operationId: 'verifyResetToken',
  tags: ['Account security'],
  summary: 'Check a reset link before showing the form (the link stays usable)',
  description:
    'The same answers as `POST /api/auth/reset-password` would give for the token, without using it: 200 with its expiry, 400 INVALID_TOKEN ' +
    'for an unknown or used token (`details.reason`), 400 LINK_EXPIRED after an hour. Never says whose account it is. Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('reset-password')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: VerifyResetTokenBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(ResetTokenStatusSchema), 'The link can be used'),
    ...errorResponses(400, 413, 415, 429, 500, 503),
  },
});

export const verifyResetTokenHandler: RouteHandler<typeof verifyResetTokenRoute, AppEnv> = async (c) =>
  ok(c, await checkResetToken(serviceContext(c), c.req.valid('json').token));
