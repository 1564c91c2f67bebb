import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { navigationKeys } from '../../src/modules/navigation/services/cache';
import { api, dbStats, env, loginAs, signedInAdmin, signedInUser, sql, userWithPermissions as userWithPermissionsThroughApi, type Login, type TestUser } from '../harness';

/** A key for an item created by a test: never one of the seed's, so tests never touch seeded items. */
export const testKey = (label = 'item') => `nt-${label}-${crypto.randomUUID().slice(0, 8)}`;

export interface NavItem {
  id: string;
  title: string;
  type: string;
  pinned?: boolean;
  children?: NavItem[];
  [field: string]: unknown;
}

/** Keys depth first, children after their parent, as the API ordered them. */
export function flatKeys(items: readonly NavItem[] = []): string[] {
  return items.flatMap((item) => [item.id, ...flatKeys(item.children)]);
}

/** The same, without items other tests create (they run in parallel against one tree). */
export const seedKeysOf = (items: readonly NavItem[] = []) => flatKeys(items).filter((key) => !key.startsWith('nt-'));

/** The item with `key` anywhere in the tree. */
export function findItem(items: readonly NavItem[] = [], key: string): NavItem | undefined {
  for (const item of items) {
    if (item.id === key) return item;
    const found = findItem(item.children, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * A fresh user holding exactly `permissions`, set up through the API (harness `userWithPermissions`:
 * a role created and assigned by an admin, the `user` role that registration grants revoked), signed in.
 */
export async function userWithPermissions(permissions: readonly string[]): Promise<{ user: TestUser; session: Login }> {
  const admin = await signedInAdmin();
  const { user, session } = await userWithPermissionsThroughApi(admin.session.accessToken, permissions);
  expect([...session.user.permissions].sort()).toEqual([...permissions].sort());
  return { user, session };
}

/**
 * An access token for a real session carrying `permissions` as issued, for permissions no seeded
 * role holds (such as a `resource:*` wildcard), without adding rows other tests could count.
 */
export async function tokenWithPermissions(permissions: readonly string[]): Promise<string> {
  const { user, session } = await signedInUser();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: session.sessionId, token_use: 'access', roles: ['custom'], perms: [...permissions], jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject(user.id)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(env.JWT_SECRET));
}

const kvValue = (key: string) => env.CACHE.get(key);
const GLOBAL_EPOCH = 'rbac:epoch';

/** A signed-in test user (what signedInUser and signedInAdmin return). */
export interface Caller {
  user: TestUser;
  session: { accessToken: string };
}

const issuedAtMs = (token: string) => JSON.parse(atob(token.split('.')[1]!.replaceAll('-', '+').replaceAll('_', '/'))).iat * 1000;

/**
 * The caller's token, renewed when a role change in another test file (which bumps the global
 * permission epoch) made it stale: a stale token costs one permission re-read per request, which
 * a round-trip count must not include. Signs in again only when no such change happened in the
 * current second (tokens carry their issue time to the second).
 */
export async function fresh(caller: Caller): Promise<string> {
  for (;;) {
    const epoch = Number(await kvValue(GLOBAL_EPOCH));
    if (epoch < issuedAtMs(caller.session.accessToken)) return caller.session.accessToken;
    const secondStart = Math.floor(Date.now() / 1000) * 1000;
    if (epoch < secondStart) {
      caller.session.accessToken = (await loginAs(caller.user.email, caller.user.password)).accessToken;
    } else {
      await new Promise((resolve) => setTimeout(resolve, secondStart + 1000 - Date.now() + 5));
    }
  }
}

/**
 * Sends a read with a fresh token and returns it with its database round trips. It is sent again
 * only when another test file changed role permissions while it ran (which legitimately costs one
 * more round trip), and fails when that happened on every attempt: any other extra round trip,
 * however rare, is in the count the test asserts.
 */
export async function measured(path: string, caller: Caller, headers: Record<string, string> = {}, attempts = 5) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const token = await fresh(caller);
    const before = await kvValue(GLOBAL_EPOCH);
    const res = await api(path, { token, headers });
    const stats = await dbStats(res.requestId);
    if (before === (await kvValue(GLOBAL_EPOCH))) return { res, stats };
  }
  throw new Error(`${path}: role permissions changed during each of ${attempts} attempts, so no count was the request's own`);
}

const treeRevision = async () => (await kvValue(navigationKeys.treeRevision)) ?? '0';

/**
 * The same for a read expected to be served from KV. Other test files' administration writes
 * invalidate the shared tree at any time (the next read reloads it, one round trip); so this first
 * makes sure the current tree revision is cached (one read fills it: `api` returns after the
 * Worker's after-response work), and sends the read again only when the tree was invalidated while
 * it ran. It fails when a read does not fill the cache, or when the tree changed on every attempt.
 */
export async function measuredWarm(path: string, caller: Caller, attempts = 5) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const revision = await treeRevision();
    if ((await kvValue(navigationKeys.tree(revision))) === null) {
      await api('/api/navigation/user', { token: await fresh(caller) });
      if (revision !== (await treeRevision())) continue;
      expect(await kvValue(navigationKeys.tree(revision)), `tree revision ${revision} cached by a read`).not.toBeNull();
    }
    const measurement = await measured(path, caller);
    if (revision === (await treeRevision())) return measurement;
  }
  throw new Error(`${path}: the navigation tree changed during each of ${attempts} attempts, so no count was the request's own`);
}

/**
 * A warm read costs no round trip: one read fills what the caller's read needs in KV (its own
 * entries included), and the next one, measured once, must not touch the database. No polling: a
 * round trip that happens only sometimes fails the test.
 */
export async function expectNoRoundTrip(path: string, caller: Caller) {
  await measured(path, caller);
  expect((await measuredWarm(path, caller)).stats).toEqual({ roundTrips: 0, statements: 0 });
}

const settingsChildren = ['settings-profile', 'settings-preferences', 'settings-security', 'settings-theme', 'settings-notifications', 'settings-api-keys'];
const help = ['help-support', 'help-documentation', 'help-about', 'help-contact'];
const userManagement = ['user-management', 'users-list', 'users-roles', 'users-sessions'];
const system = ['system', 'system-monitor', 'system-logs', 'system-settings'];

/** The seeded tree (scripts/db/seed-data.ts) as each kind of caller sees it, per variant, depth first. */
export const expectedSeedKeys = {
  /** `*:*`: everything the variant shows. */
  admin: {
    default: ['dashboard', 'analytics', ...userManagement, 'settings', ...settingsChildren, 'divider-1', ...system, 'divider-main', ...help],
    compact: ['dashboard', ...userManagement, 'divider-1', 'divider-main'],
    horizontal: ['dashboard', 'analytics', ...userManagement, 'settings', ...settingsChildren, ...help],
    mobile: ['dashboard', 'analytics', ...userManagement, 'settings', ...settingsChildren, 'divider-1', ...system, 'divider-main', ...help],
  },
  /** The seeded `user` role (what registration grants). */
  user: {
    default: ['dashboard', 'settings', ...settingsChildren, 'divider-1', 'divider-main', ...help],
    compact: ['dashboard', 'divider-1', 'divider-main'],
    horizontal: ['dashboard', 'settings', ...settingsChildren, ...help],
    mobile: ['dashboard', 'settings', ...settingsChildren, 'divider-1', 'divider-main', ...help],
  },
  /**
   * users:read, system:logs, settings:theme, dashboard:analytics: users-roles needs roles:read;
   * settings-theme and system-logs are allowed but orphaned (their parents need settings:view
   * and system:monitor).
   */
  partial: {
    default: ['analytics', 'user-management', 'users-list', 'users-sessions', 'divider-1', 'divider-main', ...help],
    compact: ['user-management', 'users-list', 'users-sessions', 'divider-1', 'divider-main'],
    horizontal: ['analytics', 'user-management', 'users-list', 'users-sessions', ...help],
    mobile: ['analytics', 'user-management', 'users-list', 'users-sessions', 'divider-1', 'divider-main', ...help],
  },
  /** `system:*` (a resource wildcard). */
  systemWildcard: {
    default: ['divider-1', ...system, 'divider-main', ...help],
    compact: ['divider-1', 'divider-main'],
    horizontal: [...help],
    mobile: ['divider-1', ...system, 'divider-main', ...help],
  },
  /** No permissions at all: only the items open to everyone. */
  none: {
    default: ['divider-1', 'divider-main', ...help],
    compact: ['divider-1', 'divider-main'],
    horizontal: [...help],
    mobile: ['divider-1', 'divider-main', ...help],
  },
};

/** Permissions of a partial view; `navigation:view` is what reading one's own tree needs (no seeded item requires it). */
export const partialPermissions = ['navigation:view', 'users:read', 'system:logs', 'settings:theme', 'dashboard:analytics'];

/** Creates an item through the API (navigation:manage) and returns its record. */
export async function createItem(token: string, body: Record<string, unknown>) {
  const res = await api('/api/navigation/items', { method: 'POST', token, body: { type: 'item', title: String(body.key), ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as Record<string, unknown> & { key: string };
}

/** The audit rows a request wrote. */
export const auditRowsOf = (requestId: string) =>
  sql<{ action: string; entity_type: string; entity_id: string | null; new_values: string | null }>(
    "select action, entity_type, entity_id, new_values::text from audit_logs where metadata->>'requestId' = $1",
    [requestId],
  );

/** An item's row as stored, or undefined. */
export async function storedItem(key: string) {
  const [row] = await sql<{ id: string; key: string; title: string; parent_key: string | null; sort_order: string; permissions: string | null }>(
    `select n.id, n.key, n.title, p.key as parent_key, n.sort_order::text,
       (select string_agg(pm.resource || ':' || pm.action, ',' order by pm.resource, pm.action)
        from navigation_permissions np join permissions pm on pm.id = np.permission_id where np.navigation_item_id = n.id) as permissions
     from navigation_items n left join navigation_items p on p.id = n.parent_id where n.key = $1`,
    [key],
  );
  return row;
}
