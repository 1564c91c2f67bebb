import { and, desc, eq, sql } from 'drizzle-orm';
import { apiKeys, users } from '../../../../drizzle';
import type { Actor } from '../../../context';
import { randomBytes, sha256Hex, toHex } from '../../../lib/crypto';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { createDb } from '../../../lib/db';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { canSignIn } from '../../auth/services/account';
import { intersectPermissions, permissionsOf, permits } from '../../auth/services/principal';
import { containmentMessages, userAdministrable } from '../../rbac/services/containment';
import { permissionsChangedSince } from '../../rbac/services/epochs';

/** `ak_<8 hex>_<64 hex>`, the original system's format. */
export const API_KEY_PATTERN = /^ak_[0-9a-f]{8}_[0-9a-f]{64}$/;
/** Resolved keys are cached in KV this long: a revocation reaches other locations within it. */
const CACHE_TTL_SECONDS = 60;
const cacheKey = (hash: string) => `apikey:${hash}`;

const columns = {
  id: apiKeys.id,
  userId: apiKeys.userId,
  name: apiKeys.name,
  prefix: apiKeys.keyPrefix,
  scopes: apiKeys.scopes,
  isActive: apiKeys.isActive,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
  createdAt: apiKeys.createdAt,
  updatedAt: apiKeys.updatedAt,
};

type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null } & { id: string; userId: string; name: string; prefix: string; createdAt: Date; updatedAt: Date };

/** An API key as the API shows it: never the secret or its hash. */
export function toApiKey(row: Row) {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    scopes: (row.scopes as string[] | null) ?? [],
    active: row.isActive !== false,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function requireUserActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Authentication required');
  return ctx.actor;
}

async function newSecret() {
  const key = `ak_${toHex(randomBytes(4))}_${toHex(randomBytes(32))}`;
  return { key, prefix: key.slice(0, 11), hash: await sha256Hex(key) };
}

/** Scopes may not exceed what the creator holds (wildcards included). */
function checkScopes(actor: Actor, scopes: readonly string[]) {
  const exceeding = scopes.filter((scope) => !permits(actor.permissions, scope));
  if (exceeding.length > 0) {
    throw new ApiError('SCOPE_NOT_ALLOWED', 'An API key cannot have permissions its creator does not hold', {
      details: exceeding.map((scope) => ({ field: 'body.scopes', message: `You do not hold ${scope}`, code: 'scope_not_allowed' })),
    });
  }
}

export async function createApiKey(ctx: ServiceContext, input: { name: string; scopes: string[]; expiresAt?: string | undefined }) {
  const actor = requireUserActor(ctx);
  const scopes = [...new Set(input.scopes)];
  checkScopes(actor, scopes);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= ctx.now) throw new ApiError('VALIDATION_ERROR', 'expiresAt must be in the future', { details: [{ field: 'body.expiresAt', message: 'must be in the future', code: 'too_small' }] });
  const secret = await newSecret();
  const id = crypto.randomUUID();
  const [rows] = await ctx.db.batch([
    ctx.db
      .insert(apiKeys)
      .values({ id, userId: actor.userId, name: input.name, keyHash: secret.hash, keyPrefix: secret.prefix, scopes, expiresAt, isActive: true, createdAt: ctx.now, updatedAt: ctx.now })
      .returning(columns),
    auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'create', newValues: { name: input.name, prefix: secret.prefix, scopes, expiresAt } }),
  ]);
  return { ...toApiKey(rows[0] as Row), key: secret.key };
}

/** The caller's keys, or (admins) any user's keys. */
export async function listApiKeys(ctx: ServiceContext, userId: string) {
  const rows = await ctx.db.select(columns).from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
  return rows.map((r) => toApiKey(r as Row));
}

export async function getApiKey(ctx: ServiceContext, id: string) {
  const actor = requireUserActor(ctx);
  const [row] = await ctx.db.select(columns).from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId)));
  if (!row) throw new ApiError('NOT_FOUND', 'API key not found');
  return toApiKey(row as Row);
}

/** Revokes a key of the caller (or, with `anyUser`, of anyone); the KV cache entry goes too. */
export async function revokeApiKey(ctx: ServiceContext, id: string, anyUser = false) {
  const actor = requireUserActor(ctx);
  const owner = anyUser ? undefined : eq(apiKeys.userId, actor.userId);
  const ownerSql = anyUser ? sql`true` : sql`k.user_id = ${actor.userId}`;
  const revoke = ctx.db
    .update(apiKeys)
    .set({ isActive: false, updatedAt: ctx.now })
    .where(and(eq(apiKeys.id, id), owner))
    .returning({ ...columns, keyHash: apiKeys.keyHash });
  const audit = auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'update', description: 'Revoked', newValues: { active: false } });
  const exists = abortUnless(ctx.db, sql`exists (select 1 from api_keys k where k.id = ${id} and ${ownerSql})`, 'NOT_FOUND');
  // An administrator cannot revoke the key of a user who holds more than they do (checked in the same batch).
  const rows = await guardedBatch(async () => {
    if (!anyUser) return (await ctx.db.batch([exists, revoke, audit]))[1];
    return (await ctx.db.batch([exists, userAdministrable(ctx, sql`(select k.user_id from api_keys k where k.id = ${id})`), revoke, audit]))[2];
  }, { ...containmentMessages, NOT_FOUND: 'API key not found' });
  const row = rows[0];
  if (!row) throw new ApiError('NOT_FOUND', 'API key not found');
  await forget(ctx, row.keyHash);
  const { keyHash: _hash, ...visible } = row;
  return toApiKey(visible as Row);
}

/** Replaces a key's secret (same id, name and scopes); the old secret stops working. */
export async function rotateApiKey(ctx: ServiceContext, id: string) {
  const actor = requireUserActor(ctx);
  const secret = await newSecret();
  const [, old, rows] = await guardedBatch(() => ctx.db.batch([
    abortUnless(ctx.db, sql`exists (select 1 from api_keys k where k.id = ${id} and k.user_id = ${actor.userId} and k.is_active is not false)`, 'NOT_FOUND'),
    ctx.db.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId))),
    ctx.db
      .update(apiKeys)
      .set({ keyHash: secret.hash, keyPrefix: secret.prefix, updatedAt: ctx.now })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId), eq(apiKeys.isActive, true)))
      .returning(columns),
    auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'update', description: 'Rotated', newValues: { prefix: secret.prefix } }),
  ]), { NOT_FOUND: 'API key not found' });
  if (!rows[0] || !old[0]) throw new ApiError('NOT_FOUND', 'API key not found');
  await forget(ctx, old[0].keyHash);
  return { ...toApiKey(rows[0] as Row), key: secret.key };
}

async function forget(ctx: ServiceContext, hash: string) {
  await ctx.env.CACHE.delete(cacheKey(hash)).catch((error: unknown) => ctx.logger.warn('could not drop a cached API key', { error: String(error) }));
}

interface ResolvedKey {
  keyId: string;
  userId: string;
  scopes: string[];
  userPermissions: string[];
  expiresAt: string | null;
  /** When the owner's permissions and status were read (ms). */
  resolvedAt: number;
}

const lastUseWrites = new Map<string, number>();

/**
 * The actor behind an API key: limited to the key's scopes that its owner still holds. Resolved
 * keys are cached in KV for a minute (no database round trip on a hit). Revoked, expired or
 * inactive keys, and keys of blocked accounts, are refused. `last_used_at` / `last_used_ip` are
 * written after the response, at most once a minute per key.
 */
export async function authenticateApiKey(ctx: ServiceContext, key: string): Promise<Actor | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const hash = await sha256Hex(key);
  let resolved: ResolvedKey | null = null;
  try {
    resolved = await ctx.env.CACHE.get<ResolvedKey>(cacheKey(hash), 'json');
    // The owner's roles, grants or status changed since the key was cached: read them again.
    if (resolved && (typeof resolved.resolvedAt !== 'number' || (await permissionsChangedSince(ctx.env.CACHE, resolved.userId, resolved.resolvedAt)))) resolved = null;
  } catch (error) {
    ctx.logger.warn('kv read failed, resolving the API key from the database', { error: String(error) });
    resolved = null;
  }
  if (!resolved) {
    const [row] = await ctx.db
      .select({
        keyId: apiKeys.id,
        userId: apiKeys.userId,
        scopes: apiKeys.scopes,
        isActive: apiKeys.isActive,
        expiresAt: apiKeys.expiresAt,
        status: users.status,
        userActive: users.isActive,
        deletedAt: users.deletedAt,
        userPermissions: permissionsOf(sql`api_keys.user_id`, ctx.now),
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyHash, hash));
    if (!row || row.isActive === false || !canSignIn({ status: row.status, isActive: row.userActive, deletedAt: row.deletedAt })) return null;
    resolved = { keyId: row.keyId, userId: row.userId, scopes: (row.scopes as string[] | null) ?? [], userPermissions: row.userPermissions, expiresAt: row.expiresAt?.toISOString() ?? null, resolvedAt: ctx.now.getTime() };
    const value = resolved;
    ctx.waitUntil(ctx.env.CACHE.put(cacheKey(hash), JSON.stringify(value), { expirationTtl: CACHE_TTL_SECONDS }).catch(() => undefined));
  }
  if (resolved.expiresAt && new Date(resolved.expiresAt) <= ctx.now) return null;

  const last = lastUseWrites.get(resolved.keyId) ?? 0;
  if (ctx.now.getTime() - last >= 60_000) {
    lastUseWrites.set(resolved.keyId, ctx.now.getTime());
    const db = createDb(ctx.env, `${ctx.requestId}:after`);
    ctx.waitUntil(
      db
        .update(apiKeys)
        .set({ lastUsedAt: ctx.now, lastUsedIp: ctx.client.ip })
        .where(and(eq(apiKeys.id, resolved.keyId), sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < ${ctx.now.toISOString()}::timestamptz - interval '1 minute')`))
        .catch((error: unknown) => ctx.logger.warn('could not record API key use', { error: String(error) })),
    );
  }
  return {
    type: 'api_key',
    userId: resolved.userId,
    sessionId: null,
    apiKeyId: resolved.keyId,
    roles: [],
    permissions: intersectPermissions(resolved.scopes, resolved.userPermissions),
  };
}
