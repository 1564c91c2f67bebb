import { sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../../lib/service-context';
import type { NavigationPreference, NavigationRecord } from '../tree';

/*
 * The SQL that builds the cached snapshots (and the item an administration write returns).
 * Plain SQL with table aliases: the expressions are embedded in other statements.
 */

/** One item (aliased `n`) as a `NavigationRecord` JSON object. */
const recordJson = sql<NavigationRecord>`json_build_object(
    'id', n.id, 'parentId', n.parent_id, 'parentKey', (select p.key from navigation_items p where p.id = n.parent_id),
    'key', n.key, 'title', n.title, 'type', n.type,
    'icon', n.icon, 'link', n.link, 'target', coalesce(n.target, '_self'), 'sortOrder', coalesce(n.sort_order, 0),
    'disabled', coalesce(n.disabled, false), 'hidden', coalesce(n.hidden, false), 'exactMatch', coalesce(n.exact_match, false),
    'badge', case when n.badge_title is null then null
      else json_build_object('title', n.badge_title, 'classes', n.badge_classes, 'variant', n.badge_variant) end,
    'showIn', json_build_object('default', coalesce(n.show_in_default, true), 'compact', coalesce(n.show_in_compact, true),
      'horizontal', coalesce(n.show_in_horizontal, true), 'mobile', coalesce(n.show_in_mobile, true)),
    'meta', n.meta,
    'permissions', coalesce((select json_agg(pm.resource || ':' || pm.action order by pm.resource, pm.action)
      from navigation_permissions np join permissions pm on pm.id = np.permission_id
      where np.navigation_item_id = n.id), '[]'::json),
    'updatedAt', n.updated_at
  )`;

/** Every navigation item as a `NavigationRecord` JSON array. */
export const treeJson = sql<NavigationRecord[]>`(select coalesce(json_agg(${recordJson} order by n.sort_order, n.key), '[]'::json)
  from navigation_items n)`;

/** One user's `user_navigation_preferences` rows as a `NavigationPreference` JSON array. */
export const preferencesJson = (userId: string) => sql<NavigationPreference[]>`(select coalesce(json_agg(json_build_object(
    'itemId', u.navigation_item_id, 'hidden', u.hidden, 'customSortOrder', u.custom_sort_order,
    'pinned', coalesce(u.pinned, false), 'updatedAt', u.updated_at
  ) order by u.navigation_item_id), '[]'::json) from user_navigation_preferences u where u.user_id = ${userId})`;

/** One item as the last statement of a write batch: the item as the batch left it. */
export const selectItem = (ctx: ServiceContext, key: string) =>
  ctx.db.execute<{ item: NavigationRecord }>(sql`select ${recordJson} as item from navigation_items n where n.key = ${key}`);

/** Loads whichever snapshots are missing from the cache in one round trip. */
export async function loadSnapshots(ctx: ServiceContext, parts: { tree: boolean; preferencesOf: string | null }) {
  const columns: SQL[] = [];
  if (parts.tree) columns.push(sql`${treeJson} as tree`);
  if (parts.preferencesOf) columns.push(sql`${preferencesJson(parts.preferencesOf)} as preferences`);
  const result = await ctx.db.execute<{ tree?: NavigationRecord[]; preferences?: NavigationPreference[] }>(
    sql`select ${sql.join(columns, sql`, `)}`,
  );
  const row = result.rows[0];
  return { tree: row?.tree ?? null, preferences: row?.preferences ?? null };
}
