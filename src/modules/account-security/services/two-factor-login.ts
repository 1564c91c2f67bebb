import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../../../../drizzle';
import { ApiError } from '../../../lib/errors';
import { clientSource } from '../../../lib/client-source';
import { TokenError, verifyToken } from '../../../lib/jwt';
import { actionLink, FRONTEND_PATHS, queueEmail, twoFactorChangedMessage } from '../../../lib/mailer';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { securityEventInsert } from '../../audit/service';
import { accountColumns, canSignIn } from '../../auth/services/account';
import { credentialsMark, lastSignInMark, loginHistoryColumns, sessionStartOf, startSession, type ChallengePurpose } from '../../auth/services/login';
import { throttleColumns } from '../../auth/services/throttle';
import { isLocked, recordFailedProof } from './account-state';
import { claimOrAbort, isClaimLost } from './guard';
import { claimTotpStep } from './proof';
import { beginEnrolment, enableStatements } from './two-factor';
import { hashBackupCode, matchTotp, openTotpSecret } from './totp';

interface Challenge {
  userId: string;
  purpose: ChallengePurpose;
  /** The account's last sign-in mark when the password step issued it: a completed sign-in spends the challenge. */
  lastSignIn: string | null;
  /** The account's credentials mark when it was issued: a password or email change spends the challenge. */
  credentials: string;
}

const invalidChallenge = () => new ApiError('INVALID_CHALLENGE', 'Invalid sign-in challenge: sign in again');

/** The login's two-factor challenge (a short-lived JWT of its own type): 401 INVALID_CHALLENGE otherwise. */
async function readChallenge(ctx: ServiceContext, token: string): Promise<Challenge> {
  try {
    const { claims } = await verifyToken<{ sub: string; purpose?: ChallengePurpose; last?: unknown; cred?: unknown }>(ctx.env, 'two_factor_challenge', token, ctx.now);
    if ((claims.last !== null && typeof claims.last !== 'string') || typeof claims.cred !== 'string') throw invalidChallenge();
    return { userId: claims.sub, purpose: claims.purpose === 'setup' ? 'setup' : 'verify', lastSignIn: claims.last, credentials: claims.cred };
  } catch (error) {
    if (error instanceof TokenError) {
      throw new ApiError('INVALID_CHALLENGE', error.reason === 'expired' ? 'The sign-in challenge has expired: sign in again' : 'Invalid sign-in challenge: sign in again');
    }
    throw error;
  }
}

const wrongCode = () =>
  new ApiError('INVALID_TWO_FACTOR_CODE', 'The code is wrong or already used, or there were too many failed attempts: try again later');

/**
 * The challenged account with what the two-factor step and the session need: one query. A
 * challenge issued before the account's last completed sign-in is spent (401 INVALID_CHALLENGE):
 * each challenge signs in once.
 */
async function loadChallenged(ctx: ServiceContext, challenge: Challenge) {
  const userId = challenge.userId;
  const [row] = await ctx.db
    .select({
      ...accountColumns(ctx.now),
      ...loginHistoryColumns,
      twoFactorSecret: users.twoFactorSecret,
      twoFactorBackupCodes: users.twoFactorBackupCodes,
      twoFactorLastStep: users.twoFactorLastStep,
      password: users.password,
      ...throttleColumns(clientSource(ctx.client.ip)),
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!row || !canSignIn(row)) throw invalidChallenge();
  if (row.lastSignInMark !== challenge.lastSignIn) throw invalidChallenge();
  if ((await credentialsMark(row.password, row.email)) !== challenge.credentials) throw invalidChallenge();
  return row;
}

/**
 * The first statement of the sign-in batch: spends the challenge, atomically. It aborts the batch
 * when a sign-in completed after the challenge was issued (a concurrent second use of the same
 * challenge waits for the first on the row lock, then finds `last_login_at` moved on).
 */
function spendChallenge(ctx: ServiceContext, challenge: Challenge) {
  return ctx.db.execute(
    claimOrAbort(
      {
        spent: ctx.db
          .update(users)
          .set({ lastLoginAt: ctx.now })
          .where(
            and(
              eq(users.id, challenge.userId),
              sql`${lastSignInMark} is not distinct from ${challenge.lastSignIn}::text`,
              // The credentials mark of login.ts, in SQL: a password or email change since the read spends it too.
              sql`left(encode(sha256(convert_to('challenge-credentials:' || ${users.password} || ':' || lower(${users.email}), 'UTF8')), 'hex'), 32) = ${challenge.credentials}`,
            ),
          )
          .returning({ id: users.id }),
      },
      'spent',
    ),
  );
}

export interface TwoFactorLoginInput {
  challengeToken: string;
  code?: string | undefined;
  backupCode?: string | undefined;
}

/**
 * The second login step: the challenge and a TOTP code (whose time step must be newer than the
 * last one used) or a backup code (each works once). The code is consumed in the same batch that
 * creates the session. With a `setup` challenge (features.two_factor_required), the code must come
 * from the authenticator just enrolled with `setupTwoFactorAtLogin`: two-factor is switched on in
 * that batch and the backup codes are returned once. Wrong codes count towards the lockout.
 */
export async function verifyTwoFactorLogin(ctx: ServiceContext, input: TwoFactorLoginInput) {
  const challenge = await readChallenge(ctx, input.challengeToken);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `2fa:${challenge.userId}`, ctx.logger);
  const row = await loadChallenged(ctx, challenge);
  if (challenge.purpose === 'setup' ? row.twoFactorEnabled : !row.twoFactorEnabled) throw invalidChallenge();
  if (isLocked(row, ctx.now)) throw wrongCode();

  const subject = { userId: row.id, sessionId: null };
  const fail = async (): Promise<never> => {
    await recordFailedProof(ctx, row, 'failed_two_factor', 'Wrong two-factor code at sign-in');
    throw wrongCode();
  };

  let consume: BatchItem<'pg'>[];
  let extra: { backupCodes?: string[]; backupCodesRemaining?: number } = {};
  let method: 'totp' | 'backup_code';
  if (challenge.purpose === 'setup') {
    if (input.code === undefined) return fail();
    method = 'totp';
    let enabling;
    try {
      enabling = await enableStatements(ctx, row, input.code, subject);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_TWO_FACTOR_CODE') return fail();
      throw error;
    }
    consume = enabling.statements;
    extra = { backupCodes: enabling.backupCodes };
  } else if (input.code !== undefined) {
    method = 'totp';
    const step = matchTotp(await openTotpSecret(ctx.env.ENCRYPTION_KEY, row.id, row.twoFactorSecret ?? ''), input.code, ctx.now);
    if (step === null || (row.twoFactorLastStep !== null && step <= row.twoFactorLastStep)) return fail();
    consume = [claimTotpStep(ctx, row.id, step)];
  } else {
    method = 'backup_code';
    const hash = await hashBackupCode(ctx.env.ENCRYPTION_KEY, row.id, input.backupCode ?? '');
    const stored = row.twoFactorBackupCodes ?? [];
    if (!stored.includes(hash)) return fail();
    const remaining = stored.length - 1;
    consume = [
      ctx.db.execute(
        claimOrAbort(
          {
            consumed: sql`update users set two_factor_backup_codes = (
                select coalesce(jsonb_agg(c), '[]'::jsonb) from jsonb_array_elements(users.two_factor_backup_codes) c where c <> to_jsonb(${hash}::text))
              where id = ${row.id} and two_factor_enabled and two_factor_backup_codes @> jsonb_build_array(${hash}::text) returning id`,
          },
          'consumed',
        ),
      ),
      securityEventInsert(ctx, {
        ...subject,
        eventType: 'two_factor_backup_code_used',
        severity: 'medium',
        description: `Signed in with a backup code (${remaining} left)`,
        data: { remaining },
      }),
    ];
    extra = { backupCodesRemaining: remaining };
  }

  let session;
  try {
    session = await startSession(ctx, row, sessionStartOf(row), consume, [spendChallenge(ctx, challenge)]);
  } catch (error) {
    if (isClaimLost(error)) throw wrongCode();
    throw error;
  }
  if (challenge.purpose === 'setup') {
    queueEmail(ctx, twoFactorChangedMessage({ to: row.email, name: row.firstName, change: 'enabled', securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));
  }
  return { ...session, method, ...extra };
}

/**
 * Enrolment during login, when the system setting `features.two_factor_required` is on and the
 * user has no two-factor yet: the `setup` challenge from login stands in for a session. Returns
 * the new secret and its `otpauth://` URI; the login finishes with `verifyTwoFactorLogin`.
 */
export async function setupTwoFactorAtLogin(ctx: ServiceContext, challengeToken: string) {
  const challenge = await readChallenge(ctx, challengeToken);
  if (challenge.purpose !== 'setup') throw invalidChallenge();
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `2fa-setup:${challenge.userId}`, ctx.logger);
  const row = await loadChallenged(ctx, challenge);
  if (row.twoFactorEnabled) throw new ApiError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled: sign in again');
  return beginEnrolment(ctx, row, { userId: row.id, sessionId: null });
}
