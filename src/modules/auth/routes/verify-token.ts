import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { VerifyTokenBodySchema, VerifyTokenResultSchema } from '../schemas';
import { checkAccessToken } from '../services/sessions';

export const verifyTokenRoute = createRoute({
  method: 'post',
  path: '/api/auth/verify-token',
  operationId: 'verifyToken',
  tags: ['Auth'],
  summary: 'Check an access token',
  description: 'Answers `{valid: true, expiresAt, userId, sessionId}` or `{valid: false, reason: expired|invalid|revoked}` without a database round trip. The token comes from the body or the Authorization header. Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('verify-token')] as const,
  request: { body: { required: false, content: { 'application/json': { schema: VerifyTokenBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(VerifyTokenResultSchema), 'The verdict'),
    ...errorResponses(400, 413, 415, 429, 500),
  },
});

export const verifyTokenHandler: RouteHandler<typeof verifyTokenRoute, AppEnv> = async (c) => {
  const token = c.req.valid('json').token ?? c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return ok(c, { valid: false, reason: 'invalid' as const });
  return ok(c, await checkAccessToken(serviceContext(c), token));
};
