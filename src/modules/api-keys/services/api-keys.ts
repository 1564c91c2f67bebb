import { and, desc, eq, sql } from 'drizzle-orm';
import { apiKeys, users } from '../../../../drizzle';
import type { Actor } from '../../../context';
import { randomBytes, sha256Hex, toHex } from '../../../lib/crypto';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { createDb } from '../../../lib/db';
import type { Env } from '../../../env';
import { ApiError, type ErrorCode } from '../../../lib/errors';
import { actionLink, apiKeyCreatedMessage, FRONTEND_PATHS, queueEmail } from '../../../lib/mailer';
import type { ServiceContext } from '../../../lib/service-context';
import {
  freshProofCondition,
  reauthenticationRequired,
  reauthWindowSeconds,
  requireSessionUser,
  type SessionActor,
} from '../../account-security/services/account-state';
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

const DAY_MS = 24 * 3600 * 1000;

/** Key lifetimes in days: the default when a key is created without `expiresAt`, and the longest allowed. */
export function keyLifetimes(env: Env) {
  const days = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const maxDays = days(env.API_KEY_MAX_TTL_DAYS, 365);
  return { defaultDays: Math.min(days(env.API_KEY_DEFAULT_TTL_DAYS, 90), maxDays), maxDays };
}

function expiryOf(ctx: ServiceContext, requested: string | undefined): Date {
  const { defaultDays, maxDays } = keyLifetimes(ctx.env);
  if (!requested) return new Date(ctx.now.getTime() + defaultDays * DAY_MS);
  const expiresAt = new Date(requested);
  const invalid = (message: string, code: string) =>
    new ApiError('VALIDATION_ERROR', `expiresAt ${message}`, { details: [{ field: 'body.expiresAt', message, code }] });
  if (expiresAt <= ctx.now) throw invalid('must be in the future', 'too_small');
  if (expiresAt.getTime() > ctx.now.getTime() + maxDays * DAY_MS) throw invalid(`must be at most ${maxDays} days from now`, 'too_big');
  return expiresAt;
}

/**
 * The preconditions of minting a secret (creating or rotating a key), as guards of its batch: a
 * verified email address and a fresh proof of identity in this session.
 */
async function mintingGuards(ctx: ServiceContext, actor: SessionActor) {
  const windowSeconds = await reauthWindowSeconds(ctx);
  return {
    windowSeconds,
    guards: [
      abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${actor.userId} and u.email_verified is true)`, 'EMAIL_NOT_VERIFIED'),
      abortUnless(ctx.db, freshProofCondition(ctx, actor, windowSeconds), 'REAUTHENTICATION_REQUIRED'),
    ] as const,
  };
}

async function mintingBatch<T>(windowSeconds: number, run: () => Promise<T>, messages: Partial<Record<ErrorCode, string>> = {}): Promise<T> {
  try {
    return await guardedBatch(run, { EMAIL_NOT_VERIFIED: 'Verify your email address before creating API keys', REAUTHENTICATION_REQUIRED: 'Confirm your identity first', ...messages });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'REAUTHENTICATION_REQUIRED') throw reauthenticationRequired(windowSeconds);
    throw error;
  }
}

const owner = (ctx: ServiceContext, userId: string) =>
  ctx.db.select({ email: users.email, firstName: users.firstName }).from(users).where(eq(users.id, userId));

function noticeOwner(ctx: ServiceContext, to: { email: string; firstName: string | null } | undefined, key: ReturnType<typeof toApiKey>, rotated: boolean) {
  if (!to) return;
  queueEmail(
    ctx,
    apiKeyCreatedMessage({
      to: to.email,
      name: to.firstName,
      keyName: key.name,
      prefix: key.prefix,
      scopes: key.scopes,
      expiresAt: new Date(key.expiresAt!),
      rotated,
      manageUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.apiKeys),
    }),
  );
}

/**
 * Creates a key for the signed-in caller: scopes within their permissions, a verified email, a
 * fresh proof of identity, an expiry (default and maximum configurable); the owner is emailed.
 */
export async function createApiKey(ctx: ServiceContext, input: { name: string; scopes: string[]; expiresAt?: string | undefined }) {
  const actor = requireSessionUser(ctx);
  const scopes = [...new Set(input.scopes)];
  checkScopes(actor, scopes);
  const expiresAt = expiryOf(ctx, input.expiresAt);
  const secret = await newSecret();
  const id = crypto.randomUUID();
  const { windowSeconds, guards } = await mintingGuards(ctx, actor);
  const [, , rows, , to] = await mintingBatch(windowSeconds, () =>
    ctx.db.batch([
      ...guards,
      ctx.db
        .insert(apiKeys)
        .values({ id, userId: actor.userId, name: input.name, keyHash: secret.hash, keyPrefix: secret.prefix, scopes, expiresAt, isActive: true, createdAt: ctx.now, updatedAt: ctx.now })
        .returning(columns),
      auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'create', newValues: { name: input.name, prefix: secret.prefix, scopes, expiresAt } }),
      owner(ctx, actor.userId),
    ]),
  );
  const key = toApiKey(rows[0] as Row);
  noticeOwner(ctx, to[0], key, false);
  return { ...key, key: secret.key };
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

/**
 * Replaces a key's secret (same id, name, scopes and expiry); the old secret stops working. Like
 * creating a key, it needs a verified email and a fresh proof of identity; the owner is emailed.
 */
export async function rotateApiKey(ctx: ServiceContext, id: string) {
  const actor = requireSessionUser(ctx);
  const secret = await newSecret();
  const mine = and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId), eq(apiKeys.isActive, true));
  const { windowSeconds, guards } = await mintingGuards(ctx, actor);
  const [, , , old, rows, , to] = await mintingBatch(
    windowSeconds,
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, sql`exists (select 1 from api_keys k where k.id = ${id} and k.user_id = ${actor.userId} and k.is_active is not false)`, 'NOT_FOUND'),
        ...guards,
        ctx.db.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(mine),
        ctx.db.update(apiKeys).set({ keyHash: secret.hash, keyPrefix: secret.prefix, updatedAt: ctx.now }).where(mine).returning(columns),
        auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'update', description: 'Rotated', newValues: { prefix: secret.prefix } }),
        owner(ctx, actor.userId),
      ]),
    { NOT_FOUND: 'API key not found' },
  );
  if (!rows[0] || !old[0]) throw new ApiError('NOT_FOUND', 'API key not found');
  await forget(ctx, old[0].keyHash);
  const key = toApiKey(rows[0] as Row);
  if (key.expiresAt) noticeOwner(ctx, to[0], key, true);
  return { ...key, key: secret.key };
}

/**
 * Renames a key of the caller and/or replaces its scopes (within the caller's permissions; a
 * scope change needs a fresh proof of identity, like creating a key). The key's cached
 * resolution is dropped, so new scopes apply at once in this location.
 */
export async function updateApiKey(ctx: ServiceContext, id: string, change: { name?: string | undefined; scopes?: string[] | undefined }) {
  const actor = requireSessionUser(ctx);
  const scopes = change.scopes ? [...new Set(change.scopes)] : undefined;
  if (scopes) checkScopes(actor, scopes);
  const windowSeconds = scopes ? await reauthWindowSeconds(ctx) : 0;
  const mine = and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.userId), eq(apiKeys.isActive, true));
  const set = { ...(change.name !== undefined ? { name: change.name } : {}), ...(scopes ? { scopes } : {}), updatedAt: ctx.now };
  const [, , rows] = await mintingBatch(
    windowSeconds,
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, sql`exists (select 1 from api_keys k where k.id = ${id} and k.user_id = ${actor.userId} and k.is_active is not false)`, 'NOT_FOUND'),
        abortUnless(ctx.db, scopes ? freshProofCondition(ctx, actor, windowSeconds) : sql`true`, 'REAUTHENTICATION_REQUIRED'),
        ctx.db.update(apiKeys).set(set).where(mine).returning({ ...columns, keyHash: apiKeys.keyHash }),
        auditInsert(ctx, { entityType: 'api_key', entityId: id, action: 'update', description: 'Changed', newValues: { name: change.name, scopes } }),
      ]),
    { NOT_FOUND: 'API key not found' },
  );
  const row = rows[0];
  if (!row) throw new ApiError('NOT_FOUND', 'API key not found');
  await forget(ctx, row.keyHash);
  const { keyHash: _hash, ...visible } = row;
  return toApiKey(visible as Row);
}

export type KeyValidation =
  | { valid: true; keyId: string; userId: string; name: string; scopes: string[]; expiresAt: string | null }
  | { valid: false; reason: 'invalid' | 'revoked' | 'expired' | 'owner_blocked' };

/**
 * For services that receive a key from their own callers: whether it is valid now, whose it is,
 * and what it may do (its scopes that the owner still holds). Never the key or its hash; one
 * round trip, read from the database (not the minute-long cache), nothing written.
 */
export async function validateApiKey(ctx: ServiceContext, key: string): Promise<KeyValidation> {
  if (!API_KEY_PATTERN.test(key)) return { valid: false, reason: 'invalid' };
  const [row] = await ctx.db
    .select({
      keyId: apiKeys.id,
      userId: apiKeys.userId,
      name: apiKeys.name,
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
    .where(eq(apiKeys.keyHash, await sha256Hex(key)));
  if (!row) return { valid: false, reason: 'invalid' };
  if (row.isActive === false) return { valid: false, reason: 'revoked' };
  if (row.expiresAt && row.expiresAt <= ctx.now) return { valid: false, reason: 'expired' };
  if (!canSignIn({ status: row.status, isActive: row.userActive, deletedAt: row.deletedAt })) return { valid: false, reason: 'owner_blocked' };
  return {
    valid: true,
    keyId: row.keyId,
    userId: row.userId,
    name: row.name,
    scopes: intersectPermissions((row.scopes as string[] | null) ?? [], row.userPermissions),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
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

/**
 * A batch statement revoking every active key of a user (account recovery, or on request with a
 * password or email change); pass its rows to `forgetKeys` once the batch committed.
 */
export const revokeAllKeysStatement = (ctx: ServiceContext, userId: string) =>
  ctx.db
    .update(apiKeys)
    .set({ isActive: false, updatedAt: ctx.now })
    .where(and(eq(apiKeys.userId, userId), sql`${apiKeys.isActive} is not false`))
    .returning({ id: apiKeys.id, keyHash: apiKeys.keyHash });

/** Drops revoked keys from the KV cache, so they stop at once in this location. */
export async function forgetKeys(ctx: ServiceContext, keys: readonly { keyHash: string }[]) {
  await Promise.all(keys.map((key) => forget(ctx, key.keyHash)));
}
