import { eq, or, sql } from 'drizzle-orm';
import { sessionActivity, sessionSecurityEvents, users, userSessions } from '../../../../drizzle';
import { sha256Hex } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { at, issueAccessToken } from './account';
import { permissionsOf, rolesOf, type RoleRef } from './principal';
import { refreshTokenFamily, rotateRefreshToken, sessionPolicy } from './refresh-tokens';
import { markSessionsRevoked } from './revocation';

type Outcome = 'rotated' | 'grace' | 'reused' | 'revoked' | 'expired' | 'blocked' | 'unknown';

interface RefreshRow extends Record<string, unknown> {
  outcome: Outcome;
  session_id: string | null;
  user_id: string | null;
  current_hash: string | null;
  salt: string | null;
  expires_at: string | null;
  roles: RoleRef[] | null;
  permissions: string[] | null;
}

/**
 * Exchanges a refresh token for a new access token and a new refresh token, in ONE statement:
 * - the current token of a live session rotates (its successor replaces it, the old hash is kept
 *   as `previous_refresh_token`), the idle expiry slides (never past the absolute one), and a
 *   `refresh` activity row is written;
 * - the previous token within the grace window (a second tab refreshing at the same moment)
 *   gets the same successor, recomputed from the stored salt, without another rotation;
 * - any other token of the session's family (the previous one after the grace window, or any
 *   older generation: RFC 9700 reuse detection) is a stolen or replayed token: the whole session
 *   is revoked and a high-severity security event is written;
 * - a session whose user was deactivated, suspended or deleted is revoked.
 * Concurrent refreshes of one token serialise on the session row (FOR UPDATE).
 */
export async function refresh(ctx: ServiceContext, presented: string) {
  const { now, client } = ctx;
  const policy = sessionPolicy(ctx.env);
  const hash = await sha256Hex(presented);
  // Family tokens name their session; a token issued before families is looked up by its hash.
  const sessionId = (await refreshTokenFamily(ctx.env, presented)) ?? (await legacyTokenSession(ctx, hash));
  if (!sessionId) throw new ApiError('INVALID_REFRESH_TOKEN', 'Invalid refresh token');
  const next = await rotateRefreshToken(ctx.env, presented, sessionId);
  const t = at(now);
  const grace = sql`${t} - make_interval(secs => ${policy.graceSeconds})`;
  const liveUser = sql`exists (select 1 from ${users} u where u.id = f.user_id and u.deleted_at is null
    and u.is_active is not false and coalesce(u.status, 'pending') not in ('inactive', 'suspended'))`;
  const live = sql`f.revoked_at is null and f.expires_at > ${t} and coalesce(f.absolute_expires_at, f.expires_at) > ${t}`;
  const inGrace = sql`(f.previous_refresh_token = ${hash} and f.refresh_rotated_at >= ${grace})`;

  const result = await ctx.db.execute<RefreshRow>(sql`
    with f as (
      select s.id, s.user_id, s.refresh_token, s.previous_refresh_token, s.refresh_rotated_at, s.refresh_salt,
             s.expires_at, s.absolute_expires_at, s.revoked_at
      from ${userSessions} s
      where s.id = ${sessionId}
      for update
    ),
    rotated as (
      update ${userSessions} s set
        refresh_token = ${next.hash}, previous_refresh_token = f.refresh_token, refresh_rotated_at = ${t},
        refresh_salt = ${next.salt}, last_activity_at = ${t}, activity_count = coalesce(s.activity_count, 0) + 1,
        expires_at = least(${t} + make_interval(secs => ${policy.idleSeconds}), coalesce(f.absolute_expires_at, f.expires_at))
      from f
      where s.id = f.id and f.refresh_token = ${hash} and ${live} and ${liveUser}
      returning s.id, s.expires_at
    ),
    killed as (
      update ${userSessions} s set revoked_at = ${t},
        revoked_reason = case when f.refresh_token = ${hash} then 'account_blocked' else 'refresh_token_reuse' end
      from f
      where s.id = f.id and f.revoked_at is null and (
        (f.refresh_token <> ${hash} and not ${inGrace})
        or (f.refresh_token = ${hash} and ${live} and not ${liveUser}))
      returning s.id, s.user_id, s.revoked_reason
    ),
    reuse_event as (
      insert into ${sessionSecurityEvents} (session_id, user_id, event_type, severity, description, ip_address, user_agent, event_data, created_at, updated_at)
      select k.id, k.user_id, 'refresh_token_reuse', 'high',
        'A refresh token that is no longer current was presented again: the session was revoked', ${client.ip}, ${client.userAgent},
        json_build_object('requestId', ${ctx.requestId}::text,
          'generation', case when f.previous_refresh_token = ${hash} then 'previous' else 'older' end), ${t}, ${t}
      from killed k, f where k.revoked_reason = 'refresh_token_reuse'
    ),
    activity as (
      insert into ${sessionActivity} (session_id, activity_type, resource, method, status_code, ip_address, user_agent, created_at)
      select r.id, 'refresh', '/api/auth/refresh', 'POST', 200, ${client.ip}, ${client.userAgent}, ${t} from rotated r
    )
    select
      case
        when exists (select 1 from rotated) then 'rotated'
        when exists (select 1 from killed where revoked_reason = 'refresh_token_reuse') then 'reused'
        when exists (select 1 from killed) then 'blocked'
        when f.id is null then 'unknown'
        when f.revoked_at is not null then 'revoked'
        when ${inGrace} and ${live} and ${liveUser} then 'grace'
        when f.refresh_token <> ${hash} then 'revoked'
        when not (${liveUser}) then 'blocked'
        else 'expired'
      end as outcome,
      f.id as session_id, f.user_id, f.refresh_token as current_hash, f.refresh_salt as salt,
      coalesce((select expires_at from rotated)::text, f.expires_at::text) as expires_at,
      ${rolesOf(sql`f.user_id`, now)} as roles,
      ${permissionsOf(sql`f.user_id`, now)} as permissions
    from (select 1) one left join f on true`);

  const row = result.rows[0];
  if (!row || !row.session_id || !row.user_id) throw new ApiError('INVALID_REFRESH_TOKEN', 'Invalid refresh token');
  const account = { id: row.user_id, roles: row.roles ?? [], permissions: row.permissions ?? [] };

  switch (row.outcome) {
    case 'rotated':
      return tokens(ctx, account, row.session_id, next.token, row.expires_at);
    case 'grace': {
      const successor = await rotateRefreshToken(ctx.env, presented, row.session_id, row.salt ?? '');
      if (successor.hash !== row.current_hash) break;
      return tokens(ctx, account, row.session_id, successor.token, row.expires_at);
    }
    case 'reused':
    case 'blocked':
      await markSessionsRevoked(ctx, [row.session_id]);
      break;
    case 'expired':
      throw new ApiError('REFRESH_TOKEN_EXPIRED', 'The refresh token has expired; sign in again');
    default:
      break;
  }
  throw new ApiError('INVALID_REFRESH_TOKEN', 'Invalid refresh token');
}

/** The session of a refresh token issued before token families (one extra round trip, for those tokens only). */
async function legacyTokenSession(ctx: ServiceContext, hash: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(or(eq(userSessions.refreshToken, hash), eq(userSessions.previousRefreshToken, hash)))
    .limit(1);
  return row?.id ?? null;
}

async function tokens(ctx: ServiceContext, account: { id: string; roles: RoleRef[]; permissions: string[] }, sessionId: string, refreshToken: string, expiresAt: string | null) {
  const access = await issueAccessToken(ctx, account, sessionId);
  const expires = expiresAt ? pgTimestamp(expiresAt) : ctx.now;
  return {
    ...access,
    refreshToken,
    tokenType: 'Bearer' as const,
    refreshExpiresIn: Math.max(0, Math.round((expires.getTime() - ctx.now.getTime()) / 1000)),
    sessionExpiresAt: expires,
  };
}

/** A Postgres text timestamp (`2026-11-27 10:00:00.123+00`) as a Date. */
export function pgTimestamp(value: string): Date {
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}
