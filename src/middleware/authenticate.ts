import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { userSessions } from '../../drizzle';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/errors';
import { TokenError, verifyToken, type AccessClaims } from '../lib/jwt';
import { serviceContext } from '../lib/service-context';
import { recordActivity } from '../modules/auth/services/activity';
import { isSessionRevoked } from '../modules/auth/services/revocation';

const unauthorized = (message = 'Missing or invalid access token') => new ApiError('UNAUTHORIZED', message);

function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * The one authentication middleware: a Bearer access token gives a typed actor in the context
 * with no database round trip (signature and claims, plus the session's revocation marker in
 * KV; only when KV fails is the session row read). Every authenticated API call is recorded as
 * session activity after the response.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  if (!token) throw unauthorized();
  let claims: AccessClaims;
  try {
    ({ claims } = await verifyToken<AccessClaims>(c.env, 'access', token, c.get('now')));
  } catch (error) {
    if (error instanceof TokenError) throw unauthorized(error.reason === 'expired' ? 'The access token has expired' : undefined);
    throw error;
  }
  let revoked = await isSessionRevoked(c.env.CACHE, claims.sid);
  if (revoked === null) {
    const [row] = await c.get('db').select({ revokedAt: userSessions.revokedAt }).from(userSessions).where(eq(userSessions.id, claims.sid));
    revoked = !row || row.revokedAt !== null;
  }
  if (revoked) throw unauthorized('The session has been revoked');

  c.set('actor', { type: 'user', userId: claims.sub, sessionId: claims.sid, roles: claims.roles ?? [], permissions: claims.perms ?? [] });
  const started = performance.now();
  try {
    await next();
  } finally {
    recordActivity(serviceContext(c), {
      sessionId: claims.sid,
      activityType: 'api_call',
      resource: c.req.path,
      method: c.req.method,
      statusCode: c.res.status,
      durationMs: Math.round(performance.now() - started),
    });
  }
});
