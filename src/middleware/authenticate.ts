import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { userSessions } from '../../drizzle';
import type { Actor, AppEnv } from '../context';
import { ApiError } from '../lib/errors';
import { TokenError, verifyToken, type AccessClaims } from '../lib/jwt';
import { serviceContext } from '../lib/service-context';
import { authenticateApiKey } from '../modules/api-keys/services/api-keys';
import { loadPrincipal } from '../modules/auth/services/account';
import { recordActivity } from '../modules/auth/services/activity';
import { markerKey } from '../modules/auth/services/revocation';
import { epochsMovedSince, permissionEpochKeys } from '../modules/rbac/services/epochs';

const unauthorized = (message = 'Missing or invalid credentials') => new ApiError('UNAUTHORIZED', message);

function bearer(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/**
 * The session's revocation marker and the permission epochs of its user, in ONE KV operation (a
 * bulk get of the three keys). `revoked` is null when KV fails (the caller reads the session row),
 * and `stale` is then true (the permissions are re-read). Nothing is cached in the isolate, so a
 * revocation or a permission change is seen as soon as KV shows it (see revocation.ts, epochs.ts).
 */
async function sessionState(kv: KVNamespace, sessionId: string, userId: string, issuedAtMs: number): Promise<{ revoked: boolean | null; stale: boolean }> {
  const marker = markerKey(sessionId);
  const epochs = permissionEpochKeys(userId);
  try {
    const values = await kv.get([marker, ...epochs]);
    return { revoked: (values.get(marker) ?? null) !== null, stale: epochsMovedSince(epochs.map((key) => values.get(key)), issuedAtMs) };
  } catch {
    return { revoked: null, stale: true };
  }
}

/**
 * The one authentication middleware. It accepts:
 * - an access token (`Authorization: Bearer <jwt>`): verified with no database round trip in the
 *   common case (signature and claims, then the session's revocation marker and the permission
 *   epochs in one KV read). When roles or grants changed after the token was issued, the permissions are re-read
 *   for this request (one query); when KV fails, the session row is read;
 * - an API key (`X-API-Key: ak_…` or `Authorization: Bearer ak_…`): the actor is limited to the
 *   key's scopes.
 * API calls of a session are recorded as session activity after the response.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const presented = c.req.header('x-api-key') ?? bearer(c.req.header('authorization'));
  if (!presented) throw unauthorized();
  if (presented.startsWith('ak_')) {
    const actor = await authenticateApiKey(serviceContext(c), presented);
    if (!actor) throw unauthorized('Invalid, revoked or expired API key');
    c.set('actor', actor);
    return next();
  }

  let claims: AccessClaims & { iat: number };
  try {
    ({ claims } = await verifyToken<AccessClaims>(c.env, 'access', presented, c.get('now')));
  } catch (error) {
    if (error instanceof TokenError) {
      throw error.reason === 'expired' ? new ApiError('TOKEN_EXPIRED', 'The access token has expired: refresh it') : unauthorized('Invalid access token');
    }
    throw error;
  }
  const state = await sessionState(c.env.CACHE, claims.sid, claims.sub, claims.iat * 1000);
  let revoked = state.revoked;
  if (revoked === null) {
    const [row] = await c.get('db')().select({ revokedAt: userSessions.revokedAt }).from(userSessions).where(eq(userSessions.id, claims.sid));
    revoked = !row || row.revokedAt !== null;
  }
  if (revoked) throw unauthorized('The session has been revoked');

  const actor: Actor = { type: 'user', userId: claims.sub, sessionId: claims.sid, roles: claims.roles ?? [], permissions: claims.perms ?? [] };
  if (state.stale) {
    const fresh = await loadPrincipal(serviceContext(c), claims.sub);
    if (!fresh) throw unauthorized('The account is no longer active');
    actor.roles = fresh.roles;
    actor.permissions = fresh.permissions;
  }
  c.set('actor', actor);
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
