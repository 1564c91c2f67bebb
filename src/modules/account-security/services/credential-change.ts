import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { apiKeys, passwordResetTokens, userSessions } from '../../../../drizzle';
import type { ServiceContext } from '../../../lib/service-context';
import { forgetKeys, revokeAllKeysStatement } from '../../api-keys/services/api-keys';
import { markSessionsRevoked } from '../../auth/services/revocation';
import type { SessionActor } from './account-state';

/** What a password or email change also revokes, as the caller chose. */
export interface RevocationChoice {
  /** Sign out every session but the current one. */
  revokeOtherSessions: boolean;
  /** Revoke every API key of the account. */
  revokeApiKeys: boolean;
}

/**
 * The statements of a credentials change (for its batch, in this order): the other sessions
 * revoked and the API keys revoked (each returning what it revoked, or nothing when not chosen),
 * and the account's outstanding reset links spent. Pass the first two results to `afterRevocation`.
 */
export function credentialChangeStatements(ctx: ServiceContext, actor: SessionActor, choice: RevocationChoice, reason: string) {
  return [
    ctx.db
      .update(userSessions)
      .set({ revokedAt: ctx.now, revokedReason: reason })
      .where(and(eq(userSessions.userId, actor.userId), ne(userSessions.id, actor.sessionId), isNull(userSessions.revokedAt), choice.revokeOtherSessions ? undefined : sql`false`))
      .returning({ id: userSessions.id }),
    choice.revokeApiKeys ? revokeAllKeysStatement(ctx, actor.userId) : ctx.db.select({ id: apiKeys.id, keyHash: apiKeys.keyHash }).from(apiKeys).where(sql`false`),
    ctx.db.delete(passwordResetTokens).where(and(eq(passwordResetTokens.userId, actor.userId), sql`${passwordResetTokens.used} is not true`)),
  ] as const;
}

/** Once the batch committed: revoked sessions stop at once (revocation markers), revoked keys leave the cache. */
export async function afterRevocation(ctx: ServiceContext, sessions: readonly { id: string }[], keys: readonly { keyHash: string }[]) {
  await Promise.all([markSessionsRevoked(ctx, sessions.map((s) => s.id)), forgetKeys(ctx, keys)]);
}

/** "every other session and every API key", for audit descriptions. */
export const revokedWhat = (choice: RevocationChoice) =>
  [choice.revokeOtherSessions ? 'every other session' : null, choice.revokeApiKeys ? 'every API key' : null].filter(Boolean).join(' and ');
