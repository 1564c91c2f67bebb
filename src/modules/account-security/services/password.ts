import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { passwordResetTokens, users, userSessions } from '../../../../drizzle';
import { randomToken, sha256Hex } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import { actionLink, FRONTEND_PATHS, passwordChangedMessage, passwordResetMessage, queueEmail } from '../../../lib/mailer';
import { bcryptCost, hashPassword, verifyPassword } from '../../../lib/password';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { at, canSignIn } from '../../auth/services/account';
import { markSessionsRevoked } from '../../auth/services/revocation';
import { isLocked, loadCaller, recordFailedProof, requireSessionUser } from './account-state';
import { claimOrAbort, isClaimLost } from './guard';

export const RESET_TTL_MINUTES = 60;
const FORGOT_ANSWER = 'If an account exists for this address, a link to reset its password is on its way.';

/**
 * Starts a password reset. The answer is the same whether or not the address exists, after the
 * same database work (one read, one write batch). For an account that may sign in: a new token
 * (256 random bits in the link, only its SHA-256 stored, valid an hour, single use) replaces the
 * user's unused ones, with the requester's IP and user agent; the email leaves after the response.
 */
export async function forgotPassword(ctx: ServiceContext, rawEmail: string) {
  const email = rawEmail.trim().toLowerCase();
  await enforceRateLimit(ctx.env.RATE_LIMIT_EMAIL, `reset:${email}`, ctx.logger);
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email, firstName: users.firstName, status: users.status, isActive: users.isActive, deletedAt: users.deletedAt })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);

  if (!user || !canSignIn(user)) {
    await securityEventInsert(ctx, {
      userId: user?.id ?? null,
      sessionId: null,
      eventType: 'password_reset_ignored',
      severity: 'low',
      description: user ? 'Password reset requested for a disabled account' : 'Password reset requested for an unknown address',
      data: { email },
    });
    return { message: FORGOT_ANSWER };
  }

  const token = randomToken(32);
  const expiresAt = new Date(ctx.now.getTime() + RESET_TTL_MINUTES * 60_000);
  const t = passwordResetTokens;
  await ctx.db.batch([
    ctx.db.delete(t).where(and(eq(t.userId, user.id), sql`${t.used} is not true`)),
    ctx.db.insert(t).values({
      userId: user.id,
      token: await sha256Hex(token),
      expiresAt,
      used: false,
      ipAddress: ctx.client.ip,
      userAgent: ctx.client.userAgent,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
    auditInsert(ctx, {
      userId: user.id,
      sessionId: null,
      entityType: 'password_reset',
      entityId: user.id,
      action: 'create',
      description: 'Requested a password reset (older reset links no longer work)',
      newValues: { expiresAt: expiresAt.toISOString() },
    }),
  ]);
  queueEmail(
    ctx,
    passwordResetMessage({
      to: user.email,
      name: user.firstName,
      link: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.resetPassword, { token }),
      validMinutes: RESET_TTL_MINUTES,
    }),
  );
  return { message: FORGOT_ANSWER };
}

const invalidResetToken = (reason: 'unknown' | 'used') =>
  new ApiError('INVALID_TOKEN', 'This reset link is not valid: request a new one', { details: { reason } });

/**
 * Sets a new password with a reset token. One batch: the token is claimed and the password
 * replaced in one statement (so the token works once, even under concurrent use), the lockout is
 * cleared, EVERY session of the user is revoked, other unused reset tokens are deleted, and the
 * audit row and a security event are written. Access tokens stop through the revocation markers;
 * a notice email leaves after the response.
 */
export async function resetPassword(ctx: ServiceContext, token: string, newPassword: string) {
  const t = passwordResetTokens;
  const [row] = await ctx.db
    .select({
      id: t.id,
      userId: t.userId,
      expiresAt: t.expiresAt,
      used: t.used,
      email: users.email,
      firstName: users.firstName,
      status: users.status,
      isActive: users.isActive,
      deletedAt: users.deletedAt,
    })
    .from(t)
    .innerJoin(users, eq(users.id, t.userId))
    .where(eq(t.token, await sha256Hex(token)))
    .limit(1);
  if (!row || !canSignIn(row)) throw invalidResetToken('unknown');
  if (row.used) throw invalidResetToken('used');
  if (row.expiresAt <= ctx.now) throw new ApiError('LINK_EXPIRED', 'This reset link has expired: request a new one');

  const hash = await hashPassword(newPassword, bcryptCost(ctx.env.BCRYPT_COST));
  const now = at(ctx.now);
  let revoked: { id: string }[];
  try {
    [, revoked] = await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            claimed: sql`update password_reset_tokens set used = true, used_at = ${now}, updated_at = ${now}
              where id = ${row.id} and used is not true and expires_at > ${now} returning user_id`,
            changed: sql`update users set password = ${hash}, password_changed_at = ${now}, failed_login_attempts = 0,
              locked_until = null, updated_at = ${now} from claimed c where users.id = c.user_id returning users.id`,
          },
          'changed',
        ),
      ),
      ctx.db
        .update(userSessions)
        .set({ revokedAt: ctx.now, revokedReason: 'password_reset' })
        .where(and(eq(userSessions.userId, row.userId), isNull(userSessions.revokedAt)))
        .returning({ id: userSessions.id }),
      ctx.db.delete(t).where(and(eq(t.userId, row.userId), sql`${t.used} is not true`)),
      auditInsert(ctx, {
        userId: row.userId,
        sessionId: null,
        entityType: 'user',
        entityId: row.userId,
        action: 'update',
        description: 'Reset the password with an email link; every session was revoked',
        newValues: { passwordChangedAt: ctx.now.toISOString() },
      }),
      securityEventInsert(ctx, {
        userId: row.userId,
        sessionId: null,
        eventType: 'password_reset',
        severity: 'medium',
        description: 'The password was reset with an email link; every session was revoked',
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw invalidResetToken('used');
    throw error;
  }
  await markSessionsRevoked(ctx, revoked.map((s) => s.id));
  queueEmail(ctx, passwordChangedMessage({ to: row.email, name: row.firstName, how: 'reset', securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));
  return { message: 'Your password was reset; sign in with the new one', revokedSessions: revoked.length };
}

/**
 * Changes the password of the signed-in user, who proves the current one (a wrong one counts
 * towards the lockout). One batch: the password (only if it is still the one just checked), the
 * revocation of every OTHER session, the audit row and a security event. The current session
 * stays signed in; a notice email leaves after the response.
 */
export async function changePassword(ctx: ServiceContext, currentPassword: string, newPassword: string) {
  const actor = requireSessionUser(ctx);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `password:${actor.userId}`, ctx.logger);
  const row = await loadCaller(ctx, actor);
  const proven = !isLocked(row, ctx.now) && (await verifyPassword(currentPassword, row.password));
  if (!proven) {
    if (!isLocked(row, ctx.now)) await recordFailedProof(ctx, actor.userId, 'failed_password_confirmation', 'Wrong current password when changing the password', actor.sessionId);
    throw new ApiError('INVALID_PASSWORD', 'The current password is wrong, or there were too many failed attempts: try again later');
  }
  if (newPassword === currentPassword) {
    throw new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field: 'body.newPassword', message: 'The new password must differ from the current one', code: 'unchanged' }],
    });
  }

  const hash = await hashPassword(newPassword, bcryptCost(ctx.env.BCRYPT_COST));
  let revoked: { id: string }[];
  try {
    [, revoked] = await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            changed: ctx.db
              .update(users)
              .set({ password: hash, passwordChangedAt: ctx.now, updatedAt: ctx.now })
              .where(and(eq(users.id, actor.userId), eq(users.password, row.password)))
              .returning({ id: users.id }),
          },
          'changed',
        ),
      ),
      ctx.db
        .update(userSessions)
        .set({ revokedAt: ctx.now, revokedReason: 'password_changed' })
        .where(and(eq(userSessions.userId, actor.userId), ne(userSessions.id, actor.sessionId), isNull(userSessions.revokedAt)))
        .returning({ id: userSessions.id }),
      auditInsert(ctx, {
        entityType: 'user',
        entityId: actor.userId,
        action: 'update',
        description: 'Changed the password; every other session was revoked',
        newValues: { passwordChangedAt: ctx.now.toISOString() },
      }),
      securityEventInsert(ctx, {
        userId: actor.userId,
        sessionId: actor.sessionId,
        eventType: 'password_changed',
        severity: 'low',
        description: 'The password was changed; every other session was revoked',
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('CONFLICT', 'The password changed meanwhile; try again');
    throw error;
  }
  await markSessionsRevoked(ctx, revoked.map((s) => s.id));
  queueEmail(ctx, passwordChangedMessage({ to: row.email, name: row.firstName, how: 'change', securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));
  return { message: 'Your password was changed', revokedSessions: revoked.length };
}
