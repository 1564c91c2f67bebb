import { cacheNamespace, writeCache } from '../../../lib/cache';
import type { Logger } from '../../../lib/logger';
import type { ServiceContext } from '../../../lib/service-context';
import type { NavigationPreference, NavigationRecord } from '../tree';

/*
 * KV layout. Snapshots are never rewritten: each lives under a revision, and a small pointer key
 * names the current revision. A write moves the pointer to a new, empty revision after its batch
 * has committed; the next reader misses, loads from the database (after that commit, so fresh)
 * and fills the new revision. A reader that loaded rows before a write can only fill the old
 * revision nobody reads any more, and two concurrent writes cannot leave a snapshot that misses
 * one of them, so no race puts stale data under the current key.
 *
 * - `navigation:revision` -> the tree revision (no expiry)
 * - `navigation:tree:v1:<revision>` -> every item with its permissions (expires after 300 s)
 * - `navigation:preferences-revision:<userId>` -> that user's preferences revision (30 days)
 * - `navigation:preferences:v1:<userId>:<revision>` -> that user's preference rows (150 s)
 */

export const TREE_TTL_SECONDS = 300;
export const PREFERENCES_TTL_SECONDS = 150;
const PREFERENCES_REVISION_TTL_SECONDS = 30 * 24 * 3600;
/** The revision readers use until the first write has made one. */
const INITIAL_REVISION = '0';
/** Workers KV accepts one write per second to a key: a refused pointer write is retried once after this. */
const RETRY_AFTER_MS = 1100;

export const navigationKeys = {
  treeRevision: 'navigation:revision',
  tree: (revision: string) => `navigation:tree:v1:${revision}`,
  preferencesRevision: (userId: string) => `navigation:preferences-revision:${userId}`,
  preferences: (userId: string, revision: string) => `navigation:preferences:v1:${userId}:${revision}`,
};

/** A revision nobody has used: its snapshot does not exist until a reader loads it. */
export const newRevision = () => crypto.randomUUID();

export interface CachedSnapshots {
  tree: NavigationRecord[] | null;
  preferences: NavigationPreference[] | null;
  /** Where a snapshot loaded from the database belongs (null: the revision is unknown, do not cache). */
  keys: { tree: string | null; preferences: string | null };
}

/**
 * The cached tree and, with `userId`, that user's preferences: two KV reads (the revision
 * pointers, then the snapshots), no database round trip. A KV failure reads as a miss.
 */
export async function readSnapshots(ctx: ServiceContext, userId: string | null): Promise<CachedSnapshots> {
  const kv = cacheNamespace(ctx);
  try {
    const pointers = [navigationKeys.treeRevision, ...(userId ? [navigationKeys.preferencesRevision(userId)] : [])];
    const revisions = await kv.get(pointers, 'text');
    const treeKey = navigationKeys.tree(revisions.get(navigationKeys.treeRevision) ?? INITIAL_REVISION);
    const preferencesKey = userId
      ? navigationKeys.preferences(userId, revisions.get(navigationKeys.preferencesRevision(userId)) ?? INITIAL_REVISION)
      : null;
    const values = await kv.get<unknown>(preferencesKey ? [treeKey, preferencesKey] : [treeKey], 'json');
    return {
      tree: (values.get(treeKey) as NavigationRecord[] | undefined) ?? null,
      preferences: preferencesKey ? ((values.get(preferencesKey) as NavigationPreference[] | undefined) ?? null) : null,
      keys: { tree: treeKey, preferences: preferencesKey },
    };
  } catch (error) {
    ctx.logger.warn('navigation cache read failed, using the database', { error: String(error) });
    return { tree: null, preferences: null, keys: { tree: null, preferences: null } };
  }
}

/** Stores snapshots loaded from the database, after the response. */
export function fillSnapshots(
  ctx: ServiceContext,
  keys: CachedSnapshots['keys'],
  loaded: { tree: NavigationRecord[] | null; preferences: NavigationPreference[] | null },
) {
  const kv = cacheNamespace(ctx);
  if (keys.tree && loaded.tree) ctx.waitUntil(writeCache(kv, keys.tree, loaded.tree, TREE_TTL_SECONDS, ctx.logger));
  if (keys.preferences && loaded.preferences) {
    ctx.waitUntil(writeCache(kv, keys.preferences, loaded.preferences, PREFERENCES_TTL_SECONDS, ctx.logger));
  }
}

export interface PointerWrite {
  kv: KVNamespace;
  key: string;
  expirationTtl?: number;
  waitUntil: (promise: Promise<unknown>) => void;
  logger: Logger;
  retryAfterMs?: number;
}

/**
 * Moves a revision pointer to a new revision. When KV refuses (for example its one write per
 * second per key), the write is retried once after the response; any new revision invalidates,
 * so the retry needs no ordering. Failures are logged, never thrown: the snapshot TTL bounds any
 * staleness they leave.
 */
export async function movePointer(write: PointerWrite): Promise<boolean> {
  const { kv, key, logger } = write;
  const revision = newRevision();
  const put = () => kv.put(key, revision, write.expirationTtl ? { expirationTtl: write.expirationTtl } : undefined);
  try {
    await put();
    return true;
  } catch (error) {
    logger.warn('navigation cache invalidation failed, retrying', { key, error: String(error) });
    write.waitUntil(
      new Promise((resolve) => setTimeout(resolve, write.retryAfterMs ?? RETRY_AFTER_MS))
        .then(put)
        .catch((retryError: unknown) => logger.warn('navigation cache invalidation retry failed', { key, error: String(retryError) })),
    );
    return false;
  }
}

/** After an administration write has committed (awaited: the next request in this location sees it). */
export const invalidateTree = (ctx: ServiceContext) =>
  movePointer({ kv: cacheNamespace(ctx), key: navigationKeys.treeRevision, waitUntil: ctx.waitUntil, logger: ctx.logger });

/** After a user's preference write has committed. */
export const invalidatePreferences = (ctx: ServiceContext, userId: string) =>
  movePointer({
    kv: cacheNamespace(ctx),
    key: navigationKeys.preferencesRevision(userId),
    expirationTtl: PREFERENCES_REVISION_TTL_SECONDS,
    waitUntil: ctx.waitUntil,
    logger: ctx.logger,
  });
