import { and, eq, isNull, sql } from 'drizzle-orm';
import { emailVerificationTokens, passwordResetTokens, users } from '../../../../drizzle';
import { pgConstraint, pgErrorCode } from '../../../lib/db';
import { sha256Hex } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import { actionLink, emailChangeRequestedMessage, FRONTEND_PATHS, queueEmail } from '../../../lib/mailer';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { at, canSignIn } from '../../auth/services/account';
import { loadCaller, requireFreshProof, requireSessionUser } from './account-state';
import { afterRevocation, credentialChangeStatements, revokedWhat, type RevocationChoice } from './credential-change';
import { claimOrAbort, isClaimLost } from './guard';
import { newVerificationToken } from './verification-token';

const invalidToken = (reason: 'unknown' | 'used' | 'address_changed') =>
  new ApiError('INVALID_TOKEN', 'This verification link is not valid: request a new one', { details: { reason } });

/**
 * Verifies an address with the token from the email: the account's current address (then it is
 * verified, and a `pending` account becomes `active`), or the new address of an email change
 * (then it replaces the old one, verified). The token is claimed and the user updated in one
 * statement, with the audit row in the same batch: a token works once, even under concurrent use.
 */
export async function verifyEmail(ctx: ServiceContext, token: string) {
  const t = emailVerificationTokens;
  const [row] = await ctx.db
    .select({
      id: t.id,
      userId: t.userId,
      email: t.email,
      previousEmail: t.previousEmail,
      expiresAt: t.expiresAt,
      used: t.used,
      currentEmail: users.email,
      emailVerified: users.emailVerified,
      status: users.status,
      deletedAt: users.deletedAt,
    })
    .from(t)
    .innerJoin(users, eq(users.id, t.userId))
    .where(eq(t.token, await sha256Hex(token)))
    .limit(1);
  if (!row || row.deletedAt) throw invalidToken('unknown');
  if (row.used) throw invalidToken('used');
  if (row.expiresAt <= ctx.now) throw new ApiError('LINK_EXPIRED', 'This verification link has expired: request a new one');
  const change = row.previousEmail !== null;
  // A token verifies the address it was sent to, for the account as it was when it was sent.
  const expected = change ? row.previousEmail! : row.email;
  if (row.currentEmail !== expected) throw invalidToken('address_changed');

  const now = at(ctx.now);
  const status = row.status === 'pending' ? 'active' : (row.status ?? 'active');
  try {
    await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            claimed: sql`update email_verification_tokens set used = true, used_at = ${now}, updated_at = ${now}
              where id = ${row.id} and used is not true and expires_at > ${now} returning user_id, email`,
            verified: sql`update users set email = c.email, email_verified = true, email_verified_at = ${now},
              status = case when users.status = 'pending' then 'active' else users.status end, updated_at = ${now}
              from claimed c where users.id = c.user_id and users.email = ${expected} and users.deleted_at is null returning users.id`,
          },
          'verified',
        ),
      ),
      auditInsert(ctx, {
        userId: row.userId,
        sessionId: null,
        entityType: 'user',
        entityId: row.userId,
        action: 'update',
        description: change ? 'Changed the email address (new address verified)' : 'Verified the email address',
        oldValues: { email: row.currentEmail, emailVerified: row.emailVerified ?? false, status: row.status },
        newValues: { email: row.email, emailVerified: true, status },
      }),
      // The old address's reset links (and any other pending link) stop working with it.
      ...(change
        ? [
            ctx.db.delete(passwordResetTokens).where(and(eq(passwordResetTokens.userId, row.userId), sql`${passwordResetTokens.used} is not true`)),
            ctx.db.delete(t).where(and(eq(t.userId, row.userId), sql`${t.used} is not true`)),
            securityEventInsert(ctx, {
              userId: row.userId,
              sessionId: null,
              eventType: 'email_changed',
              severity: 'medium',
              description: 'The account email address was changed',
              data: { from: row.currentEmail, to: row.email },
            }),
          ]
        : []),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw invalidToken('used');
    if (pgErrorCode(error) === '23505' && (pgConstraint(error) ?? '').includes('email')) {
      throw new ApiError('EMAIL_ALREADY_EXISTS', 'Another account now uses this address');
    }
    throw error;
  }
  return { email: row.email, emailVerified: true, status, emailChanged: change };
}

const RESEND_ANSWER = 'If this address belongs to an account that still needs verifying, a new link is on its way.';

/**
 * Sends a new link to an account's unverified current address, replacing older links. The answer
 * is the same whether or not the address exists or needs verifying, after the same database work
 * (one read, one write: a token, or a low-severity security event).
 */
export async function resendVerification(ctx: ServiceContext, rawEmail: string) {
  const email = rawEmail.trim().toLowerCase();
  await enforceRateLimit(ctx.env.RATE_LIMIT_EMAIL, `verify:${email}`, ctx.logger);
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email, firstName: users.firstName, emailVerified: users.emailVerified, status: users.status, isActive: users.isActive, deletedAt: users.deletedAt })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);

  if (!user || user.emailVerified || !canSignIn(user)) {
    await securityEventInsert(ctx, {
      userId: user?.id ?? null,
      sessionId: null,
      eventType: 'verification_resend_ignored',
      severity: 'low',
      description: user ? 'Verification email requested for an address that needs none' : 'Verification email requested for an unknown address',
      data: { email },
    });
    return { message: RESEND_ANSWER };
  }
  const verification = await newVerificationToken(ctx, { userId: user.id, email: user.email, previousEmail: null, name: user.firstName });
  const t = emailVerificationTokens;
  await ctx.db.batch([
    ctx.db.delete(t).where(and(eq(t.userId, user.id), sql`${t.used} is not true`, isNull(t.previousEmail))),
    verification.insert,
    auditInsert(ctx, {
      userId: user.id,
      sessionId: null,
      entityType: 'email_verification',
      entityId: user.id,
      action: 'create',
      description: 'Sent a new verification link (older links no longer work)',
      newValues: { email: user.email, expiresAt: verification.expiresAt.toISOString() },
    }),
  ]);
  queueEmail(ctx, verification.message);
  return { message: RESEND_ANSWER };
}

/**
 * Starts an email change: a verification link goes to the NEW address (the account keeps the old
 * one until it is used) and a notice to the current one. Needs a fresh proof of identity. In the
 * same batch: older verification links and outstanding reset links are spent, and other sessions
 * and API keys are revoked as the caller chose. (Two-factor sign-in challenges are bound to the
 * address and the password hash: they die when the new address is verified.)
 */
export async function requestEmailChange(ctx: ServiceContext, rawEmail: string, choice: RevocationChoice = { revokeOtherSessions: true, revokeApiKeys: false }) {
  const actor = requireSessionUser(ctx);
  const email = rawEmail.trim().toLowerCase();
  await enforceRateLimit(ctx.env.RATE_LIMIT_EMAIL, `change:${actor.userId}`, ctx.logger);
  const row = await loadCaller(ctx, actor, {
    taken: sql<boolean>`exists (select 1 from users other where other.email = ${email} and other.id <> users.id)`,
  });
  await requireFreshProof(ctx, row.reauthenticatedAt);
  if (email === row.email) {
    throw new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field: 'body.email', message: 'This is already the address of the account', code: 'unchanged' }],
    });
  }
  if (row.taken) throw new ApiError('EMAIL_ALREADY_EXISTS', 'An account with this email already exists');

  const verification = await newVerificationToken(ctx, { userId: actor.userId, email, previousEmail: row.email, name: row.firstName });
  const t = emailVerificationTokens;
  const what = revokedWhat(choice);
  const [, , revoked, keys] = await ctx.db.batch([
    ctx.db.delete(t).where(and(eq(t.userId, actor.userId), sql`${t.used} is not true`)),
    verification.insert,
    ...credentialChangeStatements(ctx, actor, choice, 'email_change'),
    auditInsert(ctx, {
      entityType: 'user',
      entityId: actor.userId,
      action: 'update',
      description: `Requested an email change (pending verification of the new address)${what ? `; ${what} revoked` : ''}`,
      newValues: { pendingEmail: email },
      metadata: { ...choice },
    }),
    securityEventInsert(ctx, {
      userId: actor.userId,
      sessionId: actor.sessionId,
      eventType: 'email_change_requested',
      severity: 'medium',
      description: 'A change of the account email address was requested',
      data: { from: row.email, to: email },
    }),
  ]);
  await afterRevocation(ctx, revoked, keys);
  queueEmail(ctx, verification.message);
  queueEmail(
    ctx,
    emailChangeRequestedMessage({ to: row.email, name: row.firstName, newEmail: email, securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }),
  );
  return { email: row.email, pendingEmail: email, expiresAt: verification.expiresAt.toISOString(), revokedSessions: revoked.length, revokedApiKeys: keys.length };
}
