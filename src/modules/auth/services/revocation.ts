import { accessTokenTtl } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';

/**
 * Revoked sessions' access tokens stop working through a marker in Workers KV, checked by
 * `authenticate` on every request (a KV read, not a database round trip). The marker lives as
 * long as an access token can, plus a minute. KV is eventually consistent: the location that
 * revoked sees the marker at once, other locations usually within 60 s; in every case an access
 * token dies at its expiry (ACCESS_TOKEN_TTL, 15 minutes by default), and refresh stops at once
 * because the session row is revoked in the database.
 */
export const markerKey = (sessionId: string) => `revoked-session:${sessionId}`;

export async function markSessionsRevoked(ctx: ServiceContext, sessionIds: readonly string[]) {
  const ttl = accessTokenTtl(ctx.env) + 60;
  await Promise.all(
    sessionIds.map((id) =>
      ctx.env.CACHE.put(markerKey(id), ctx.now.toISOString(), { expirationTtl: ttl }).catch((error: unknown) =>
        ctx.logger.error('could not write a session revocation marker', { sessionId: id, error: String(error) }),
      ),
    ),
  );
}

/** True when the session was revoked. A KV failure answers null: the caller decides. */
export async function isSessionRevoked(kv: KVNamespace, sessionId: string): Promise<boolean | null> {
  try {
    return (await kv.get(markerKey(sessionId))) !== null;
  } catch {
    return null;
  }
}
