import { emailVerificationTokens } from '../../../../drizzle';
import { randomToken, sha256Hex } from '../../../lib/crypto';
import { actionLink, FRONTEND_PATHS, verifyEmailMessage } from '../../../lib/mailer';
import type { ServiceContext } from '../../../lib/service-context';

export const VERIFICATION_TTL_HOURS = 24;

export interface VerificationTarget {
  userId: string;
  /** The address to verify: the current one, or the new one of an email change. */
  email: string;
  /** For an email change, the account's address at the time of the request. */
  previousEmail: string | null;
  name: string | null;
}

/**
 * A new email-verification token: 256 random bits sent in a link, only its SHA-256 stored, valid
 * 24 hours, tied to the address it verifies. Returns the unexecuted insert (for the caller's batch)
 * and the email to queue once the batch has committed.
 */
export async function newVerificationToken(ctx: ServiceContext, target: VerificationTarget) {
  const token = randomToken(32);
  const expiresAt = new Date(ctx.now.getTime() + VERIFICATION_TTL_HOURS * 3600_000);
  const insert = ctx.db.insert(emailVerificationTokens).values({
    userId: target.userId,
    token: await sha256Hex(token),
    email: target.email,
    previousEmail: target.previousEmail,
    expiresAt,
    used: false,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  const message = verifyEmailMessage({
    to: target.email,
    name: target.name,
    link: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.verifyEmail, { token }),
    validHours: VERIFICATION_TTL_HOURS,
    change: target.previousEmail !== null,
  });
  return { insert, message, expiresAt };
}
