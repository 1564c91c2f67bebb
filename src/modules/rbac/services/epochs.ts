import { accessTokenTtl } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';

/**
 * Role and grant changes reach access tokens (and cached API keys) through "permission epochs" in
 * KV: one per user, moved when that user's roles change or when a role they hold changes (for a
 * role held by more than PER_USER_EPOCH_LIMIT users, the global epoch moves instead). `authenticate`
 * compares a token's issue time with both; an older token gets its permissions re-read from the
 * database for that request (one query) until the client refreshes, so a change takes effect on
 * the next request in the location that made it and within KV propagation (~60 s) elsewhere.
 */
const GLOBAL = 'rbac:epoch';
const userKey = (userId: string) => `rbac:user:${userId}`;

export async function bumpPermissionEpoch(ctx: ServiceContext, scope: { userIds: readonly string[] } | 'all') {
  const value = String(ctx.now.getTime());
  const ttl = accessTokenTtl(ctx.env) + 120;
  const keys = scope === 'all' ? [GLOBAL] : scope.userIds.map(userKey);
  await Promise.all(
    keys.map((key) =>
      ctx.env.CACHE.put(key, value, { expirationTtl: ttl }).catch((error: unknown) =>
        ctx.logger.error('could not write a permission epoch', { key, error: String(error) }),
      ),
    ),
  );
}

/** The KV keys of the epochs that apply to a user: the global one and the user's own. */
export const permissionEpochKeys = (userId: string): string[] => [GLOBAL, userKey(userId)];

/** True when one of the epochs read (the values of `permissionEpochKeys`) moved at or after `issuedAtMs`. */
export const epochsMovedSince = (values: readonly (string | null | undefined)[], issuedAtMs: number) =>
  values.some((v) => v !== null && v !== undefined && Number(v) >= issuedAtMs);

/** True when the user's permissions may have changed after `issuedAtMs` (or KV cannot tell). One KV operation (a bulk get). */
export async function permissionsChangedSince(kv: KVNamespace, userId: string, issuedAtMs: number): Promise<boolean> {
  const keys = permissionEpochKeys(userId);
  try {
    const values = await kv.get(keys);
    return epochsMovedSince(keys.map((key) => values.get(key)), issuedAtMs);
  } catch {
    return true;
  }
}

/** Up to this many affected users get their own epoch bumped; beyond it, the global epoch moves. */
export const PER_USER_EPOCH_LIMIT = 100;

/** The epoch scope for a change that affects `holders` (read with a `limit` of PER_USER_EPOCH_LIMIT + 1). */
export const holdersScope = (holders: readonly { userId: string }[]) =>
  holders.length > PER_USER_EPOCH_LIMIT ? ('all' as const) : { userIds: holders.map((h) => h.userId) };
