import type { Actor } from '../../../context';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { toItemRecord, toPreference } from '../schemas';
import { depthFirst, isNavigationType, navigationResponse, navigationTypes, type NavigationPreference, type NavigationRecord, type NavigationType } from '../tree';
import { fillSnapshots, readSnapshots } from './cache';
import { loadSnapshots } from './queries';

export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Authentication required');
  return ctx.actor;
}

/** The requested variant, or every variant when omitted; an unknown name is a 400. */
export function parseNavigationType(type: string | undefined): NavigationType | undefined {
  if (type === undefined) return undefined;
  if (!isNavigationType(type)) {
    throw new ApiError('INVALID_NAVIGATION_TYPE', `Unknown navigation type; use one of ${navigationTypes.join(', ')}`, {
      details: [{ field: 'query.type', message: `Expected one of ${navigationTypes.join(', ')}`, code: 'invalid_value' }],
    });
  }
  return type;
}

/** Every item with its permissions: from KV (no round trip), else one query. */
export async function loadTree(ctx: ServiceContext): Promise<NavigationRecord[]> {
  const cached = await readSnapshots(ctx, null);
  if (cached.tree) return cached.tree;
  const loaded = await loadSnapshots(ctx, { tree: true, preferencesOf: null });
  fillSnapshots(ctx, cached.keys, loaded);
  return loaded.tree ?? [];
}

/**
 * The tree and one user's preferences: from KV when both are cached (no round trip), otherwise
 * whichever is missing in one query.
 */
export async function loadView(ctx: ServiceContext, userId: string): Promise<{ tree: NavigationRecord[]; preferences: NavigationPreference[] }> {
  const cached = await readSnapshots(ctx, userId);
  if (cached.tree && cached.preferences) return { tree: cached.tree, preferences: cached.preferences };
  const loaded = await loadSnapshots(ctx, { tree: !cached.tree, preferencesOf: cached.preferences ? null : userId });
  fillSnapshots(ctx, cached.keys, loaded);
  return { tree: cached.tree ?? loaded.tree ?? [], preferences: cached.preferences ?? loaded.preferences ?? [] };
}

/** `GET /api/navigation`: the full tree (hidden items flagged, disabled ones only on request). */
export async function getNavigation(ctx: ServiceContext, query: { type?: string | undefined; includeDisabled: boolean }) {
  const type = parseNavigationType(query.type);
  return navigationResponse(await loadTree(ctx), type, { includeDisabled: query.includeDisabled });
}

/** `GET /api/navigation/user`: the caller's tree, filtered by their permissions (from the token) and preferences. */
export async function getUserNavigation(ctx: ServiceContext, query: { type?: string | undefined }) {
  const actor = requireActor(ctx);
  const type = parseNavigationType(query.type);
  const { tree, preferences } = await loadView(ctx, actor.userId);
  return navigationResponse(tree, type, { viewer: { permissions: actor.permissions, preferences } });
}

/** Every item as stored, parents before children. */
export async function listNavigationItems(ctx: ServiceContext) {
  return depthFirst(await loadTree(ctx)).map(toItemRecord);
}

/** The caller's navigation preferences, by item key. */
export async function listNavigationPreferences(ctx: ServiceContext) {
  const actor = requireActor(ctx);
  const { tree, preferences } = await loadView(ctx, actor.userId);
  const keyById = new Map(tree.map((r) => [r.id, r.key]));
  return preferences.flatMap((p) => {
    const key = keyById.get(p.itemId);
    return key ? [toPreference(p, key)] : [];
  });
}
