import { accessTokenTtl } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';

/**
 * Role and grant changes reach access tokens through "permission epochs" in KV: a global one
 * (a role's permissions changed) and one per user (the user's roles changed). `authenticate`
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

/** True when the user's permissions may have changed after `issuedAtMs` (or KV cannot tell). */
export async function permissionsChangedSince(kv: KVNamespace, userId: string, issuedAtMs: number): Promise<boolean> {
  try {
    const [global, user] = await Promise.all([kv.get(GLOBAL), kv.get(userKey(userId))]);
    return [global, user].some((v) => v !== null && Number(v) >= issuedAtMs);
  } catch {
    return true;
  }
}
