import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { users } from '../../../../drizzle';
import type { Actor } from '../../../context';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { securityEventInsert } from '../../audit/service';
import { failedLoginUpdate } from '../../auth/services/lockout';
import { pgTimestamp } from '../../auth/services/refresh';
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
  firstName: users.firstName,
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
  lockedUntil: users.lockedUntil,
};

/**
 * The caller's account with the current session's last proof of identity, plus any `extra`
 * columns: one query. A user who no longer exists (or whose session is gone) is 401.
 */
export async function loadCaller<E extends Record<string, SQL.Aliased | SQL>>(ctx: ServiceContext, actor: SessionActor, extra?: E) {
  const [row] = await ctx.db
    .select({
      ...securityColumns,
      reauthenticatedAt: sql<string | null>`(select s.reauthenticated_at from user_sessions s
        where s.id = ${actor.sessionId} and s.user_id = users.id and s.revoked_at is null)`,
      ...(extra ?? ({} as E)),
    })
    .from(users)
    .where(and(eq(users.id, actor.userId), isNull(users.deletedAt)));
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  return row;
}

/** A locked account (too many failed proofs) refuses every proof until the lock expires. */
export const isLocked = (row: { lockedUntil: Date | null }, now: Date) => Boolean(row.lockedUntil && row.lockedUntil > now);

/** The re-authentication window in seconds (system setting `security.reauthentication_window_seconds`). */
export async function reauthWindowSeconds(ctx: ServiceContext): Promise<number> {
  const seconds = await systemSetting(ctx, 'security.reauthentication_window_seconds', DEFAULT_REAUTH_WINDOW_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REAUTH_WINDOW_SECONDS;
}

/**
 * Changing the email address or the two-factor settings needs a fresh proof of identity in this
 * session: a login or a `POST /api/auth/reauthenticate` within the window. 403
 * REAUTHENTICATION_REQUIRED otherwise.
 */
export async function requireFreshProof(ctx: ServiceContext, reauthenticatedAt: string | null): Promise<void> {
  const windowSeconds = await reauthWindowSeconds(ctx);
  const at = reauthenticatedAt ? pgTimestamp(reauthenticatedAt).getTime() : Number.NaN;
  if (!(ctx.now.getTime() - at <= windowSeconds * 1000)) {
    throw new ApiError('REAUTHENTICATION_REQUIRED', `Confirm your identity first (POST /api/auth/reauthenticate); a proof lasts ${windowSeconds} seconds`, {
      details: { maxAgeSeconds: windowSeconds, reauthenticate: '/api/auth/reauthenticate' },
    });
  }
}

/**
 * A wrong password or code counts towards the login lockout (same counter and back-off as
 * login), with a security event: one batch.
 */
export async function recordFailedProof(ctx: ServiceContext, userId: string, eventType: string, description: string, sessionId: string | null = null) {
  const maxAttempts = await systemSetting(ctx, 'security.max_login_attempts', 5);
  await ctx.db.batch([
    ctx.db.update(users).set(failedLoginUpdate(ctx.now, maxAttempts)).where(eq(users.id, userId)),
    securityEventInsert(ctx, { userId, sessionId, eventType, severity: 'low', description }),
  ]);
}
