import { and, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../../../../drizzle';
import { ApiError } from '../../../lib/errors';
import { actionLink, FRONTEND_PATHS, queueEmail, twoFactorChangedMessage } from '../../../lib/mailer';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { systemSetting } from '../../system-settings/service';
import { loadCaller, requireFreshProof, requireSessionUser } from './account-state';
import { claimOrAbort, isClaimLost } from './guard';
import { proveIdentity, type Proof } from './proof';
import { generateBackupCodes, hashBackupCode, matchTotp, newTotpSecret, openTotpSecret, otpauthUri, sealTotpSecret, TOTP_PARAMETERS } from './totp';

/** Who a two-factor change is written for: the signed-in actor, or (at login) the user of a challenge. */
interface Subject {
  userId: string;
  sessionId: string | null;
}

const notify = (ctx: ServiceContext, to: string, name: string | null, change: 'enabled' | 'disabled' | 'backup_codes') =>
  queueEmail(ctx, twoFactorChangedMessage({ to, name, change, securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));

/** The caller's two-factor state (never the secret or the codes). */
export async function twoFactorStatus(ctx: ServiceContext) {
  const actor = requireSessionUser(ctx);
  const row = await loadCaller(ctx, actor);
  const enabled = row.twoFactorEnabled ?? false;
  return {
    enabled,
    setupPending: !enabled && row.twoFactorSecret !== null,
    backupCodesRemaining: enabled ? (row.twoFactorBackupCodes?.length ?? 0) : 0,
    required: await systemSetting(ctx, 'features.two_factor_required', false),
  };
}

/**
 * Starts an enrolment: a new secret, sealed at rest and stored while two-factor stays off, and its
 * `otpauth://` URI. The secret is returned here and never again. A restarted enrolment replaces
 * the pending secret; an enabled two-factor is 409 (disable it first).
 */
export async function beginEnrolment(ctx: ServiceContext, user: { id: string; email: string }, subject: Subject) {
  const secret = newTotpSecret();
  const sealed = await sealTotpSecret(ctx.env.ENCRYPTION_KEY, user.id, secret);
  const issuer = await systemSetting(ctx, 'app.name', 'AegisX');
  try {
    await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            pending: ctx.db
              .update(users)
              .set({ twoFactorSecret: sealed, twoFactorBackupCodes: null, twoFactorLastStep: null, updatedAt: ctx.now })
              .where(and(eq(users.id, user.id), sql`${users.twoFactorEnabled} is not true`))
              .returning({ id: users.id }),
          },
          'pending',
        ),
      ),
      auditInsert(ctx, {
        ...subject,
        entityType: 'user',
        entityId: user.id,
        action: 'update',
        description: 'Started a two-factor enrolment (off until confirmed with a code)',
        metadata: { twoFactor: 'setup_started' },
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled');
    throw error;
  }
  return {
    secret,
    otpauthUri: otpauthUri(secret, issuer, user.email),
    issuer,
    accountName: user.email,
    ...TOTP_PARAMETERS,
  };
}

/** Starts an enrolment for the signed-in user (a fresh proof of identity is required). */
export async function setupTwoFactor(ctx: ServiceContext) {
  const actor = requireSessionUser(ctx);
  const row = await loadCaller(ctx, actor);
  await requireFreshProof(ctx, row.reauthenticatedAt);
  if (row.twoFactorEnabled) throw new ApiError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled');
  return beginEnrolment(ctx, row, { userId: actor.userId, sessionId: actor.sessionId });
}

async function hashedBackupCodes(ctx: ServiceContext, userId: string) {
  const codes = generateBackupCodes();
  const hashes = await Promise.all(codes.map((code) => hashBackupCode(ctx.env.ENCRYPTION_KEY, userId, code)));
  return { codes, hashes };
}

/**
 * The statements that switch two-factor on once `code` matches the pending secret: two-factor
 * enabled with ten new backup codes (stored as keyed hashes) and the code's time step consumed,
 * only if the pending secret is still the one checked; the audit row; a security event. Throws
 * 409 TWO_FACTOR_SETUP_NOT_STARTED without a pending secret, 400 INVALID_TWO_FACTOR_CODE for a
 * wrong code. Returns the backup codes to show once.
 */
export async function enableStatements(
  ctx: ServiceContext,
  row: { id: string; twoFactorSecret: string | null },
  code: string,
  subject: Subject,
): Promise<{ statements: [BatchItem<'pg'>, ...BatchItem<'pg'>[]]; backupCodes: string[] }> {
  if (!row.twoFactorSecret) throw new ApiError('TWO_FACTOR_SETUP_NOT_STARTED', 'Start the two-factor setup first');
  const step = matchTotp(await openTotpSecret(ctx.env.ENCRYPTION_KEY, row.id, row.twoFactorSecret), code, ctx.now);
  if (step === null) throw new ApiError('INVALID_TWO_FACTOR_CODE', 'The code does not match the new authenticator');
  const { codes, hashes } = await hashedBackupCodes(ctx, row.id);
  return {
    backupCodes: codes,
    statements: [
      ctx.db.execute(
        claimOrAbort(
          {
            enabled: ctx.db
              .update(users)
              .set({ twoFactorEnabled: true, twoFactorBackupCodes: hashes, twoFactorLastStep: step, updatedAt: ctx.now })
              .where(and(eq(users.id, row.id), sql`${users.twoFactorEnabled} is not true`, eq(users.twoFactorSecret, row.twoFactorSecret)))
              .returning({ id: users.id }),
          },
          'enabled',
        ),
      ),
      auditInsert(ctx, {
        ...subject,
        entityType: 'user',
        entityId: row.id,
        action: 'update',
        description: 'Enabled two-factor authentication',
        oldValues: { twoFactorEnabled: false },
        newValues: { twoFactorEnabled: true },
        metadata: { codesIssued: codes.length },
      }),
      securityEventInsert(ctx, { ...subject, eventType: 'two_factor_enabled', severity: 'medium', description: 'Two-factor authentication was enabled' }),
    ],
  };
}

/** Confirms the enrolment with a code from the new authenticator: two-factor is on; the backup codes are returned once. */
export async function confirmTwoFactor(ctx: ServiceContext, code: string) {
  const actor = requireSessionUser(ctx);
  const row = await loadCaller(ctx, actor);
  if (row.twoFactorEnabled) throw new ApiError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled');
  const { statements, backupCodes } = await enableStatements(ctx, row, code, { userId: actor.userId, sessionId: actor.sessionId });
  try {
    await ctx.db.batch(statements);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('CONFLICT', 'The two-factor setup changed meanwhile; start again');
    throw error;
  }
  notify(ctx, row.email, row.firstName, 'enabled');
  return { enabled: true as const, backupCodes };
}

/** Turns two-factor off with the password or a current code (a wrong one counts towards the lockout). */
export async function disableTwoFactor(ctx: ServiceContext, proof: Proof) {
  const actor = requireSessionUser(ctx);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `2fa-disable:${actor.userId}`, ctx.logger);
  const row = await loadCaller(ctx, actor);
  if (!row.twoFactorEnabled) throw new ApiError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled');
  const proven = await proveIdentity(ctx, actor, row, proof, 'disable two-factor');
  // With a code, its time step must still be unused when the change commits.
  const unusedStep = proven.step !== null ? sql`(${users.twoFactorLastStep} is null or ${users.twoFactorLastStep} < ${proven.step})` : undefined;
  try {
    await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            disabled: ctx.db
              .update(users)
              .set({ twoFactorEnabled: false, twoFactorSecret: null, twoFactorBackupCodes: null, twoFactorLastStep: null, updatedAt: ctx.now })
              .where(and(eq(users.id, actor.userId), eq(users.twoFactorEnabled, true), unusedStep))
              .returning({ id: users.id }),
          },
          'disabled',
        ),
      ),
      auditInsert(ctx, {
        entityType: 'user',
        entityId: actor.userId,
        action: 'update',
        description: `Disabled two-factor authentication (confirmed with ${proven.method === 'password' ? 'the password' : 'a code'})`,
        oldValues: { twoFactorEnabled: true },
        newValues: { twoFactorEnabled: false },
      }),
      securityEventInsert(ctx, {
        userId: actor.userId,
        sessionId: actor.sessionId,
        eventType: 'two_factor_disabled',
        severity: 'high',
        description: 'Two-factor authentication was disabled',
        data: { method: proven.method },
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('INVALID_TWO_FACTOR_CODE', 'The code was already used');
    throw error;
  }
  notify(ctx, row.email, row.firstName, 'disabled');
  return { enabled: false as const };
}

/** Ten new backup codes replace the old ones (a fresh proof of identity is required); shown once. */
export async function regenerateBackupCodes(ctx: ServiceContext) {
  const actor = requireSessionUser(ctx);
  const row = await loadCaller(ctx, actor);
  await requireFreshProof(ctx, row.reauthenticatedAt);
  if (!row.twoFactorEnabled) throw new ApiError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled');
  const { codes, hashes } = await hashedBackupCodes(ctx, actor.userId);
  try {
    await ctx.db.batch([
      ctx.db.execute(
        claimOrAbort(
          {
            replaced: ctx.db
              .update(users)
              .set({ twoFactorBackupCodes: hashes, updatedAt: ctx.now })
              .where(and(eq(users.id, actor.userId), eq(users.twoFactorEnabled, true)))
              .returning({ id: users.id }),
          },
          'replaced',
        ),
      ),
      auditInsert(ctx, {
        entityType: 'user',
        entityId: actor.userId,
        action: 'update',
        description: 'Regenerated the two-factor backup codes (the old ones no longer work)',
        metadata: { codesIssued: codes.length },
      }),
      securityEventInsert(ctx, {
        userId: actor.userId,
        sessionId: actor.sessionId,
        eventType: 'two_factor_backup_codes_regenerated',
        severity: 'low',
        description: 'New two-factor backup codes were generated',
      }),
    ]);
  } catch (error) {
    if (isClaimLost(error)) throw new ApiError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled');
    throw error;
  }
  notify(ctx, row.email, row.firstName, 'backup_codes');
  return { backupCodes: codes };
}
