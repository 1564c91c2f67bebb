import { and, eq, isNull, sql } from 'drizzle-orm';
import { users, userSessions } from '../../../../drizzle';
import { ApiError } from '../../../lib/errors';
import { clientSource } from '../../../lib/client-source';
import { verifyPassword } from '../../../lib/password';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { successStatement } from '../../auth/services/throttle';
import { isLocked, loadCaller, reauthWindowSeconds, recordFailedProof, requireSessionUser, type SessionActor } from './account-state';
import { claimOrAbort } from './guard';
import { matchTotp, openTotpSecret } from './totp';

/** A proof of identity: the password, or a code of the enabled authenticator. */
export interface Proof {
  password?: string | undefined;
  code?: string | undefined;
}

export interface ProvenIdentity {
  method: 'password' | 'totp';
  /** The TOTP time step to claim in the same batch as the change (a code never works twice). */
  step: number | null;
}

type ProofRow = Awaited<ReturnType<typeof loadCaller>>;

/**
 * Checks a password or TOTP code of the caller. A wrong one (or a replayed code) counts towards
 * the login lockout; a locked account is refused without counting. Throws 400 INVALID_PASSWORD /
 * INVALID_TWO_FACTOR_CODE, or 409 TWO_FACTOR_NOT_ENABLED for a code without two-factor.
 */
export async function proveIdentity(ctx: ServiceContext, actor: SessionActor, row: ProofRow, proof: Proof, purpose: string): Promise<ProvenIdentity> {
  const method = proof.password !== undefined ? 'password' : 'totp';
  if (method === 'totp' && (!row.twoFactorEnabled || !row.twoFactorSecret)) {
    throw new ApiError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled: use the password');
  }
  const locked = isLocked(row, ctx.now);
  let step: number | null = null;
  let ok = false;
  if (!locked && method === 'password') ok = await verifyPassword(proof.password!, row.password);
  if (!locked && method === 'totp') {
    step = matchTotp(await openTotpSecret(ctx.env.ENCRYPTION_KEY, row.id, row.twoFactorSecret!), proof.code!, ctx.now);
    ok = step !== null && (row.twoFactorLastStep === null || step > row.twoFactorLastStep);
  }
  if (!ok) {
    if (!locked) await recordFailedProof(ctx, row, method === 'password' ? 'failed_password_confirmation' : 'failed_two_factor', `Wrong ${method === 'password' ? 'password' : 'two-factor code'} to ${purpose}`, actor.sessionId);
    throw method === 'password'
      ? new ApiError('INVALID_PASSWORD', 'The password is wrong, or there were too many failed attempts: try again later')
      : new ApiError('INVALID_TWO_FACTOR_CODE', 'The code is wrong or already used, or there were too many failed attempts: try again later');
  }
  return { method, step };
}

/** A batch statement that records TOTP step `step` as used, aborting the batch if it (or a later one) already was. */
export function claimTotpStep(ctx: ServiceContext, userId: string, step: number) {
  return ctx.db.execute(
    claimOrAbort(
      {
        step: ctx.db
          .update(users)
          .set({ twoFactorLastStep: step })
          .where(and(eq(users.id, userId), sql`(${users.twoFactorLastStep} is null or ${users.twoFactorLastStep} < ${step})`))
          .returning({ id: users.id }),
      },
      'step',
    ),
  );
}

/**
 * Re-authentication: the password (or a TOTP code) marks the current session as freshly proven,
 * which changing the email address or the two-factor settings requires within the window
 * (system setting `security.reauthentication_window_seconds`, 300 by default).
 */
export async function reauthenticate(ctx: ServiceContext, proof: Proof) {
  const actor = requireSessionUser(ctx);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `reauth:${actor.userId}`, ctx.logger);
  const row = await loadCaller(ctx, actor);
  const proven = await proveIdentity(ctx, actor, row, proof, 're-authenticate');
  const windowSeconds = await reauthWindowSeconds(ctx);
  await ctx.db.batch([
    ctx.db
      .update(userSessions)
      .set({ reauthenticatedAt: ctx.now })
      .where(and(eq(userSessions.id, actor.sessionId), eq(userSessions.userId, actor.userId), isNull(userSessions.revokedAt))),
    // A proof is a success from this source, as a sign-in is.
    ctx.db.update(users).set({ failedLoginAttempts: 0 }).where(and(eq(users.id, actor.userId), sql`${users.failedLoginAttempts} > 0`)),
    successStatement(ctx, actor.userId, clientSource(ctx.client.ip)),
    auditInsert(ctx, {
      entityType: 'user_session',
      entityId: actor.sessionId,
      action: 'update',
      description: `Re-authenticated with ${proven.method === 'password' ? 'the password' : 'a two-factor code'}`,
      metadata: { method: proven.method },
    }),
    ...(proven.step !== null ? [claimTotpStep(ctx, actor.userId, proven.step)] : []),
  ]);
  return {
    method: proven.method,
    reauthenticatedAt: ctx.now.toISOString(),
    validUntil: new Date(ctx.now.getTime() + windowSeconds * 1000).toISOString(),
  };
}
