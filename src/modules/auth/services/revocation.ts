import { sql } from 'drizzle-orm';
import { sessionSecurityEvents, userSessions } from '../../../../drizzle';
import { cacheNamespace } from '../../../lib/cache';
import { accessTokenTtl } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';

/**
 * Revoked sessions' access tokens stop working through a marker in Workers KV, checked by
 * `authenticate` on every request (a KV read, not a database round trip). The marker lives as
 * long as an access token can, plus a minute. KV is eventually consistent: the location that
 * revoked sees the marker at once, other locations usually within 60 s; in every case an access
 * token dies at its expiry (ACCESS_TOKEN_TTL, 15 minutes by default), and refresh stops at once
 * because the session row is revoked in the database.
 *
 * A marker write that fails is retried (MARKER_RETRY_DELAYS_MS); if every attempt fails, the
 * session's access tokens keep working until they expire (at most ACCESS_TOKEN_TTL), so a
 * high-severity `revocation_marker_failed` security event per session tells administrators.
 */
export const markerKey = (sessionId: string) => `revoked-session:${sessionId}`;

/** Waits before the second and third attempt of a marker write. */
export const MARKER_RETRY_DELAYS_MS = [50, 250] as const;

async function putWithRetry(kv: KVNamespace, key: string, value: string, ttl: number): Promise<unknown> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= MARKER_RETRY_DELAYS_MS.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, MARKER_RETRY_DELAYS_MS[attempt - 1]));
    try {
      await kv.put(key, value, { expirationTtl: ttl });
      return null;
    } catch (error) {
      lastError = error;
    }
  }
  return lastError ?? new Error('marker write failed');
}

export async function markSessionsRevoked(ctx: ServiceContext, sessionIds: readonly string[]) {
  const ttl = accessTokenTtl(ctx.env) + 60;
  const kv = cacheNamespace(ctx);
  const results = await Promise.all(sessionIds.map(async (id) => ({ id, error: await putWithRetry(kv, markerKey(id), ctx.now.toISOString(), ttl) })));
  const failed = results.filter((r) => r.error !== null);
  if (failed.length === 0) return;
  ctx.logger.error('could not write session revocation markers', { sessionIds: failed.map((f) => f.id), error: String(failed[0]!.error) });
  const t = sql`${ctx.now.toISOString()}::timestamptz`;
  await ctx.db
    .execute(
      sql`insert into ${sessionSecurityEvents} (session_id, user_id, event_type, severity, description, ip_address, user_agent, event_data, created_at, updated_at)
        select s.id, s.user_id, 'revocation_marker_failed', 'high',
          'A revoked session''s access tokens could not be stopped at once: they work until they expire', ${ctx.client.ip}, ${ctx.client.userAgent},
          json_build_object('requestId', ${ctx.requestId}::text, 'residualSeconds', ${accessTokenTtl(ctx.env)}::int), ${t}, ${t}
        from ${userSessions} s where s.id in (${sql.join(failed.map((f) => sql`${f.id}::uuid`), sql`, `)})`,
    )
    .catch((error: unknown) => ctx.logger.error('could not record the failed revocation markers', { error: String(error) }));
}

/** True when the session was revoked. A KV failure answers null: the caller decides. */
export async function isSessionRevoked(kv: KVNamespace, sessionId: string): Promise<boolean | null> {
  try {
    return (await kv.get(markerKey(sessionId))) !== null;
  } catch {
    return null;
  }
}
