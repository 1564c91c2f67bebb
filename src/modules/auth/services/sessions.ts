import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { sessionActivity, users, userSessions } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { ApiError } from '../../../lib/errors';
import { TokenError, verifyToken, type AccessClaims } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';
import type { Actor } from '../../../context';
import { auditInsert } from '../../audit/service';
import { accountColumns, sessionColumns, toAuthenticatedUser, toUserSession } from './account';
import { isSessionRevoked, markSessionsRevoked } from './revocation';

function requireUser(ctx: ServiceContext): Actor & { sessionId: string } {
  const actor = ctx.actor;
  if (!actor || actor.type !== 'user' || !actor.sessionId) throw new ApiError('UNAUTHORIZED', 'A user session is required');
  return actor as Actor & { sessionId: string };
}

const liveSession = (now: Date) => and(isNull(userSessions.revokedAt), gt(userSessions.expiresAt, now));

/** The caller and their current session: one query. */
export async function me(ctx: ServiceContext) {
  const actor = requireUser(ctx);
  const [row] = await ctx.db
    .select({
      ...accountColumns(ctx.now),
      session: sql<Record<string, unknown> | null>`(select row_to_json(s) from (select ${sql.join(
        Object.values(sessionColumns).map((col) => sql`${col} as ${sql.identifier(col.name)}`),
        sql`, `,
      )} from ${userSessions} where ${userSessions.id} = ${actor.sessionId}) s)`,
    })
    .from(users)
    .where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  const s = row.session;
  return {
    ...toAuthenticatedUser(row),
    session: s
      ? toUserSession(
          {
            id: String(s.id),
            userAgent: s.user_agent as string | null,
            ipAddress: s.ip_address as string | null,
            deviceType: s.device_type as string | null,
            deviceOs: s.device_os as string | null,
            deviceBrowser: s.device_browser as string | null,
            deviceName: s.device_name as string | null,
            locationCountry: s.location_country as string | null,
            locationRegion: s.location_region as string | null,
            locationCity: s.location_city as string | null,
            locationTimezone: s.location_timezone as string | null,
            isSuspicious: s.is_suspicious as boolean | null,
            securityFlags: s.security_flags as string[] | null,
            createdAt: new Date(String(s.created_at)),
            lastActivityAt: s.last_activity_at ? new Date(String(s.last_activity_at)) : null,
            expiresAt: new Date(String(s.expires_at)),
          },
          actor.sessionId,
        )
      : null,
  };
}

/** The caller's live sessions, newest activity first. */
export async function listSessions(ctx: ServiceContext) {
  const actor = requireUser(ctx);
  const rows = await ctx.db
    .select(sessionColumns)
    .from(userSessions)
    .where(and(eq(userSessions.userId, actor.userId), liveSession(ctx.now)))
    .orderBy(desc(sql`coalesce(${userSessions.lastActivityAt}, ${userSessions.createdAt})`));
  return rows.map((r) => toUserSession(r, actor.sessionId));
}

/** Revokes sessions of the caller matching `where`, with a logout activity each and one audit row. */
async function revokeWhere(ctx: ServiceContext, actor: Actor & { sessionId: string }, scope: 'one' | 'others' | 'all', sessionId?: string) {
  const filter =
    scope === 'one'
      ? eq(userSessions.id, sessionId!)
      : scope === 'others'
        ? ne(userSessions.id, actor.sessionId)
        : undefined;
  // The activity rows are selected before the update marks the sessions revoked.
  const [, , revoked] = await guardedBatch(() => ctx.db.batch([
    abortUnless(
      ctx.db,
      scope === 'one' ? sql`exists (select 1 from user_sessions s where s.id = ${sessionId!} and s.user_id = ${actor.userId} and s.revoked_at is null)` : sql`true`,
      'SESSION_NOT_FOUND',
    ),
    ctx.db.insert(sessionActivity).select(
      ctx.db
        .select({
          id: sql`gen_random_uuid()`.as('id'),
          sessionId: userSessions.id,
          activityType: sql`'logout'`.as('activity_type'),
          resource: sql`${'/api/auth/logout'}`.as('resource'),
          method: sql`'POST'`.as('method'),
          statusCode: sql`200`.as('status_code'),
          ipAddress: sql`${ctx.client.ip}`.as('ip_address'),
          userAgent: sql`${ctx.client.userAgent}`.as('user_agent'),
          requestData: sql`${JSON.stringify({ scope, by: actor.sessionId })}::jsonb`.as('request_data'),
          responseData: sql`null::jsonb`.as('response_data'),
          createdAt: sql`${ctx.now.toISOString()}::timestamptz`.as('created_at'),
        })
        .from(userSessions)
        .where(and(eq(userSessions.userId, actor.userId), isNull(userSessions.revokedAt), filter)),
    ),
    ctx.db
      .update(userSessions)
      .set({ revokedAt: ctx.now, revokedReason: scope === 'all' || sessionId === actor.sessionId ? 'logout' : 'revoked_by_user' })
      .where(and(eq(userSessions.userId, actor.userId), isNull(userSessions.revokedAt), filter))
      .returning({ id: userSessions.id }),
    auditInsert(ctx, {
      entityType: 'user_session',
      entityId: scope === 'one' ? sessionId! : actor.sessionId,
      action: scope === 'one' && sessionId !== actor.sessionId ? 'delete' : 'logout',
      description: scope === 'all' ? 'Signed out of every device' : scope === 'others' ? 'Revoked every other session' : sessionId === actor.sessionId ? 'Signed out' : 'Revoked a session',
      metadata: { scope },
    }),
  ]), { SESSION_NOT_FOUND: 'Session not found' });
  const ids = revoked.map((r) => r.id);
  await markSessionsRevoked(ctx, ids);
  return ids;
}

/** Signs out of the current session, or of every session with `allDevices`. */
export async function logout(ctx: ServiceContext, allDevices: boolean) {
  const actor = requireUser(ctx);
  const ids = await revokeWhere(ctx, actor, allDevices ? 'all' : 'one', actor.sessionId);
  return { message: allDevices ? 'Signed out of every device' : 'Signed out', loggedOutDevices: ids.length };
}

/** Revokes one of the caller's other sessions; someone else's session is "not found". */
export async function revokeSession(ctx: ServiceContext, sessionId: string) {
  const actor = requireUser(ctx);
  if (sessionId === actor.sessionId) {
    throw new ApiError('CANNOT_REVOKE_CURRENT_SESSION', 'Use logout to end the current session');
  }
  await revokeWhere(ctx, actor, 'one', sessionId);
  return { message: 'Session revoked', sessionId };
}

export async function revokeOtherSessions(ctx: ServiceContext) {
  const actor = requireUser(ctx);
  const ids = await revokeWhere(ctx, actor, 'others');
  return { message: 'Every other session was revoked', revokedSessions: ids.length };
}

/** Checks an access token without a database round trip (signature, claims, revocation marker). */
export async function checkAccessToken(ctx: ServiceContext, token: string) {
  try {
    const { claims } = await verifyToken<AccessClaims>(ctx.env, 'access', token, ctx.now);
    if (await isSessionRevoked(ctx.env.CACHE, claims.sid)) return { valid: false as const, reason: 'revoked' as const };
    return { valid: true as const, expiresAt: new Date(claims.exp * 1000).toISOString(), userId: claims.sub, sessionId: claims.sid };
  } catch (error) {
    if (error instanceof TokenError) return { valid: false as const, reason: error.reason };
    throw error;
  }
}
