import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { ApiError } from '../../../lib/errors';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { readRefreshCookie, setRefreshCookie } from '../cookies';
import { RefreshBodySchema, RefreshResultSchema } from '../schemas';
import { refresh } from '../services/refresh';

export const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  operationId: 'refreshTokens',
  tags: ['Auth'],
  summary: 'Exchange a refresh token for new tokens (rotation)',
  description:
    'The refresh token comes from the body, the `X-Refresh-Token` header or the HttpOnly cookie, and is rotated on every use. ' +
    'Presenting an already-rotated token after the grace window revokes the whole session. Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('refresh')] as const,
  request: {
    headers: z.object({ 'x-refresh-token': z.string().min(20).max(200).optional() }),
    body: { required: false, content: { 'application/json': { schema: RefreshBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(RefreshResultSchema), 'New access and refresh tokens'),
    ...errorResponses(400, 401, 413, 415, 429, 500, 503),
  },
});

export const refreshHandler: RouteHandler<typeof refreshRoute, AppEnv> = async (c) => {
  const presented = c.req.valid('json').refreshToken ?? c.req.valid('header')['x-refresh-token'] ?? readRefreshCookie(c);
  if (!presented) throw new ApiError('INVALID_REFRESH_TOKEN', 'No refresh token was sent');
  const { sessionExpiresAt, ...tokens } = await refresh(serviceContext(c), presented);
  noStore(c);
  setRefreshCookie(c, tokens.refreshToken, (sessionExpiresAt.getTime() - c.get('now').getTime()) / 1000);
  return ok(c, tokens);
};
