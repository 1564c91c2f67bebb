import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { users } from '../../../../drizzle';
import type { Actor } from '../../../context';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { securityEventInsert } from '../../audit/service';
import { pgTimestamp } from '../../auth/services/refresh';
import { failureStatements, isThrottled, throttleColumns, type ThrottleState } from '../../auth/services/throttle';
import { clientSource } from '../../../lib/client-source';
import { systemSetting } from '../../system-settings/service';

/** How long a re-authentication (or a login) counts as fresh, unless the system setting says otherwise. */
export const DEFAULT_REAUTH_WINDOW_SECONDS = 300;

export type SessionActor = Actor & { sessionId: string };

/** The caller must be a user with a session: API keys never change credentials. */
export function requireSessionUser(ctx: ServiceContext): SessionActor {
  const actor = ctx.actor;
  if (!actor || actor.type !== 'user' || !actor.sessionId) {
    throw new ApiError('API_KEY_NOT_ALLOWED', 'Only a signed-in user (not an API key) can change account security');
  }
  return actor as SessionActor;
}

/** The `users` columns every account-security decision needs. */
export const securityColumns = {
  id: users.id,
  email: users.email,
  username: users.username,
  firstName: users.firstName,
  lastName: users.lastName,
  name: users.name,
  password: users.password,
  status: users.status,
  isActive: users.isActive,
  deletedAt: users.deletedAt,
  emailVerified: users.emailVerified,
  twoFactorEnabled: users.twoFactorEnabled,
  twoFactorSecret: users.twoFactorSecret,
  twoFactorBackupCodes: users.twoFactorBackupCodes,
  twoFactorLastStep: users.twoFactorLastStep,
  failedLoginAttempts: users.failedLoginAttempts,
};

/**
 * The caller's account with the current session's last proof of identity, plus any `extra`
 * columns: one query. A user who no longer exists (or whose session is gone) is 401.
 */
export async function loadCaller<E extends Record<string, SQL.Aliased | SQL>>(ctx: ServiceContext, actor: SessionActor, extra?: E) {
  const [row] = await ctx.db
    .select({
      ...securityColumns,
      ...throttleColumns(clientSource(ctx.client.ip)),
      reauthenticatedAt: sql<string | null>`(select s.reauthenticated_at from user_sessions s
        where s.id = ${actor.sessionId} and s.user_id = users.id and s.revoked_at is null)`,
      ...(extra ?? ({} as E)),
    })
    .from(users)
    .where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  return row;
}

/** Too many failed proofs from this source (or, for a source never used to sign in, on the account): every proof is refused until the block expires. */
export const isLocked = (row: ThrottleState, now: Date) => isThrottled(row, now);

/** The re-authentication window in seconds (system setting `security.reauthentication_window_seconds`). */
export async function reauthWindowSeconds(ctx: ServiceContext): Promise<number> {
  const seconds = await systemSetting(ctx, 'security.reauthentication_window_seconds', DEFAULT_REAUTH_WINDOW_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REAUTH_WINDOW_SECONDS;
}

/** 403 REAUTHENTICATION_REQUIRED, saying how long a proof lasts. */
export const reauthenticationRequired = (windowSeconds: number) =>
  new ApiError('REAUTHENTICATION_REQUIRED', `Confirm your identity first (POST /api/auth/reauthenticate); a proof lasts ${windowSeconds} seconds`, {
    details: { maxAgeSeconds: windowSeconds, reauthenticate: '/api/auth/reauthenticate' },
  });

/**
 * Changing the email address or the two-factor settings needs a fresh proof of identity in this
 * session: a login or a `POST /api/auth/reauthenticate` within the window. 403
 * REAUTHENTICATION_REQUIRED otherwise.
 */
export async function requireFreshProof(ctx: ServiceContext, reauthenticatedAt: string | null): Promise<void> {
  const windowSeconds = await reauthWindowSeconds(ctx);
  const at = reauthenticatedAt ? pgTimestamp(reauthenticatedAt).getTime() : Number.NaN;
  if (!(ctx.now.getTime() - at <= windowSeconds * 1000)) throw reauthenticationRequired(windowSeconds);
}

/**
 * The same rule as a condition for a guarded batch (`abortUnless(…, 'REAUTHENTICATION_REQUIRED')`):
 * the caller's live session was proven within `windowSeconds`.
 */
export const freshProofCondition = (ctx: ServiceContext, actor: SessionActor, windowSeconds: number) =>
  sql`exists (select 1 from user_sessions s where s.id = ${actor.sessionId} and s.user_id = ${actor.userId} and s.revoked_at is null
    and s.reauthenticated_at >= ${ctx.now.toISOString()}::timestamptz - make_interval(secs => ${windowSeconds}))`;

/**
 * A wrong password or code counts towards login throttling (the same counters and back-off as a
 * failed login, for this source and for the account), with a security event: one batch.
 */
export async function recordFailedProof(ctx: ServiceContext, row: { id: string } & ThrottleState, eventType: string, description: string, sessionId: string | null = null) {
  const maxAttempts = await systemSetting(ctx, 'security.max_login_attempts', 5);
  await ctx.db.batch([
    securityEventInsert(ctx, { userId: row.id, sessionId, eventType, severity: 'low', description, data: { source: clientSource(ctx.client.ip) } }),
    ...failureStatements(ctx, row.id, clientSource(ctx.client.ip), maxAttempts, row),
  ]);
}
