import { and, eq, isNull, sql } from 'drizzle-orm';
import { emailVerificationTokens, passwordResetTokens, users, userSessions } from '../../../../drizzle';
import { randomToken, sha256Hex } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import { actionLink, FRONTEND_PATHS, passwordChangedMessage, passwordResetMessage, queueEmail } from '../../../lib/mailer';
import { bcryptCost, checkPasswordPolicy, hashPassword, verifyPassword } from '../../../lib/password';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { at, canSignIn } from '../../auth/services/account';
import { clearThrottleStatement } from '../../auth/services/throttle';
import { revokeAllKeysStatement } from '../../api-keys/services/api-keys';
import { isLocked, loadCaller, recordFailedProof, requireSessionUser } from './account-state';
import { afterRevocation, credentialChangeStatements, revokedWhat, type RevocationChoice } from './credential-change';
import { claimOrAbort, isClaimLost } from './guard';

export const RESET_TTL_MINUTES = 60;
/** At most this many reset emails per address per hour (the rate limit spreads them; this caps them). */
export const RESET_EMAILS_PER_HOUR = 3;
const FORGOT_ANSWER = 'If an account exists for this address, a link to reset its password is on its way.';

/**
 * Starts a password reset. The answer is the same whether or not the address exists, after the
 * same database work (one read, one write batch). For an account that may sign in: a new token
 * (256 random bits in the link, only its SHA-256 stored, valid an hour, single use) replaces the
 * user's unused ones, with the requester's IP and user agent; the email leaves after the response.
 * Past RESET_EMAILS_PER_HOUR requests within an hour (counted from the audit trail), nothing is
 * sent and a security event is written instead: the answer stays the same.
 */
export async function forgotPassword(ctx: ServiceContext, rawEmail: string) {
  const email = rawEmail.trim().toLowerCase();
  await enforceRateLimit(ctx.env.RATE_LIMIT_EMAIL, `reset:${email}`, ctx.logger);
  const [user] = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      firstName: users.firstName,
      status: users.status,
      isActive: users.isActive,
      deletedAt: users.deletedAt,
      recentRequests: sql<number>`(select count(*)::int from audit_logs a where a.entity_type = 'password_reset' and a.entity_id = users.id::text
        and a.action = 'create' and a.created_at > ${ctx.now.toISOString()}::timestamptz - interval '1 hour')`.mapWith(Number),
    })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);

  const capped = Boolean(user && user.recentRequests >= RESET_EMAILS_PER_HOUR);
  if (!user || !canSignIn(user) || capped) {
    await securityEventInsert(ctx, {
      userId: user?.id ?? null,
      sessionId: null,
      eventType: capped ? 'password_reset_capped' : 'password_reset_ignored',
      severity: capped ? 'medium' : 'low',
      description: capped
        ? `Password reset requested more than ${RESET_EMAILS_PER_HOUR} times within an hour: no email sent`
        : user ? 'Password reset requested for a disabled account' : 'Password reset requested for an unknown address',
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

/** The reset token's row with its account, if the link can still be used (400 INVALID_TOKEN or LINK_EXPIRED otherwise): one query. */
async function usableResetToken(ctx: ServiceContext, token: string) {
  const t = passwordResetTokens;
  const [row] = await ctx.db
    .select({
      id: t.id,
      userId: t.userId,
      expiresAt: t.expiresAt,
      used: t.used,
      email: users.email,
      username: users.username,
      firstName: users.firstName,
      lastName: users.lastName,
      name: users.name,
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
  return row;
}

/**
 * Whether a reset link can still be used, without using it (so the front end can show the form or
 * an "expired" page first): its expiry, never the account. Same answers as the reset itself.
 */
export async function checkResetToken(ctx: ServiceContext, token: string) {
  const row = await usableResetToken(ctx, token);
  return { valid: true as const, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Sets a new password with a reset token (account recovery: every credential dies together). One
 * batch: the token is claimed and the password replaced in one statement (so the token works once,
 * even under concurrent use), login throttling is cleared, EVERY session and EVERY API key of the
 * user is revoked, every other reset and verification link is deleted, outstanding two-factor
 * challenges are spent (they are bound to the password hash), and the audit row and a security
 * event are written. Access tokens stop through the revocation markers; a notice email saying all
 * this leaves after the response.
 */
export async function resetPassword(ctx: ServiceContext, token: string, newPassword: string) {
  const t = passwordResetTokens;
  const row = await usableResetToken(ctx, token);
  checkPasswordPolicy(newPassword, { email: row.email, username: row.username, names: [row.firstName, row.lastName, row.name] });

  const hash = await hashPassword(newPassword, bcryptCost(ctx.env.BCRYPT_COST));
  const now = at(ctx.now);
  let revoked: { id: string }[];
  let keys: { id: string; keyHash: string }[];
  try {
    [, revoked, keys] = await ctx.db.batch([
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
      revokeAllKeysStatement(ctx, row.userId),
      ctx.db.delete(t).where(and(eq(t.userId, row.userId), sql`${t.used} is not true`)),
      ctx.db.delete(emailVerificationTokens).where(and(eq(emailVerificationTokens.userId, row.userId), sql`${emailVerificationTokens.used} is not true`)),
      clearThrottleStatement(ctx, row.userId),
      auditInsert(ctx, {
        userId: row.userId,
        sessionId: null,
        entityType: 'user',
        entityId: row.userId,
        action: 'update',
        description: 'Reset the password with an email link; every session and API key was revoked',
        newValues: { passwordChangedAt: ctx.now.toISOString() },
      }),
      securityEventInsert(ctx, {
        userId: row.userId,
        sessionId: null,
        eventType: 'password_reset',
        severity: 'medium',
        description: 'The password was reset with an email link; every session and API key was revoked',
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw invalidResetToken('used');
    throw error;
  }
  await afterRevocation(ctx, revoked, keys);
  queueEmail(ctx, passwordChangedMessage({ to: row.email, name: row.firstName, how: 'reset', revokedApiKeys: keys.length, securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));
  return { message: 'Your password was reset; sign in with the new one', revokedSessions: revoked.length, revokedApiKeys: keys.length };
}

/**
 * Changes the password of the signed-in user, who proves the current one (a wrong one counts
 * towards login throttling). One batch: the password (only if it is still the one just checked),
 * the revocation of every OTHER session (unless `revokeOtherSessions` is false) and of every API key
 * (when `revokeApiKeys` is true), the user's outstanding reset and verification links deleted, the
 * audit row and a security event. Two-factor sign-in challenges die with the old password hash. The
 * current session stays signed in; a notice email leaves after the response.
 */
export async function changePassword(ctx: ServiceContext, currentPassword: string, newPassword: string, options: RevocationChoice) {
  const actor = requireSessionUser(ctx);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `password:${actor.userId}`, ctx.logger);
  const row = await loadCaller(ctx, actor);
  const proven = !isLocked(row, ctx.now) && (await verifyPassword(currentPassword, row.password));
  if (!proven) {
    if (!isLocked(row, ctx.now)) await recordFailedProof(ctx, row, 'failed_password_confirmation', 'Wrong current password when changing the password', actor.sessionId);
    throw new ApiError('INVALID_PASSWORD', 'The current password is wrong, or there were too many failed attempts: try again later');
  }
  if (newPassword === currentPassword) {
    throw new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field: 'body.newPassword', message: 'The new password must differ from the current one', code: 'unchanged' }],
    });
  }
  checkPasswordPolicy(newPassword, { email: row.email, username: row.username, names: [row.firstName, row.lastName, row.name] });

  const hash = await hashPassword(newPassword, bcryptCost(ctx.env.BCRYPT_COST));
  const what = revokedWhat(options);
  let revoked: { id: string }[];
  let keys: { id: string; keyHash: string }[];
  try {
    [, revoked, keys] = await ctx.db.batch([
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
      ...credentialChangeStatements(ctx, actor, options, 'password_changed'),
      ctx.db.delete(emailVerificationTokens).where(and(eq(emailVerificationTokens.userId, actor.userId), sql`${emailVerificationTokens.used} is not true`)),
      auditInsert(ctx, {
        entityType: 'user',
        entityId: actor.userId,
        action: 'update',
        description: `Changed the password${what ? `; ${what} revoked` : ''}`,
        newValues: { passwordChangedAt: ctx.now.toISOString() },
        metadata: { ...options },
      }),
      securityEventInsert(ctx, {
        userId: actor.userId,
        sessionId: actor.sessionId,
        eventType: 'password_changed',
        severity: 'low',
        description: `The password was changed${what ? `; ${what} revoked` : ''}`,
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('CONFLICT', 'The password changed meanwhile; try again');
    throw error;
  }
  await afterRevocation(ctx, revoked, keys);
  queueEmail(
    ctx,
    passwordChangedMessage({ to: row.email, name: row.firstName, how: 'change', otherSessionsRevoked: options.revokeOtherSessions, revokedApiKeys: keys.length, securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }),
  );
  return { message: 'Your password was changed', revokedSessions: revoked.length, revokedApiKeys: keys.length };
}
