import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { z } from '@hono/zod-openapi';
import { navigationItems } from '../../../../drizzle';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import {
  toItemRecord,
  type CreateNavigationItemBodySchema,
  type ReorderNavigationBodySchema,
  type UpdateNavigationItemBodySchema,
} from '../schemas';
import type { NavigationRecord } from '../tree';
import { invalidateTree } from './cache';
import { guard, guarded, verdict, type Check } from './guard';
import { selectItem } from './queries';

type CreateItem = z.infer<typeof CreateNavigationItemBodySchema>;
type UpdateItem = z.infer<typeof UpdateNavigationItemBodySchema>;
type Reorder = z.infer<typeof ReorderNavigationBodySchema>;
type Statement = BatchItem<'pg'>;

const ENTITY = 'navigation_item';

/*
 * Every administration write is one `db.batch`: its checks (which abort the batch), the change,
 * the audit row and, where the response shows the item, a last statement reading it back. Once
 * the batch has committed, the cached tree is invalidated (a new revision) before the response,
 * so the next request in this location reads the change.
 */
async function write(ctx: ServiceContext, statements: readonly Statement[]): Promise<unknown[]> {
  const [first, ...rest] = statements;
  const results = await guarded(() => ctx.db.batch([first!, ...rest]));
  await invalidateTree(ctx);
  return results;
}

/** Runs the statements, then reads the item `key` in the same batch and returns it. */
async function writeAndRead(ctx: ServiceContext, statements: readonly Statement[], key: string) {
  const results = await write(ctx, [...statements, selectItem(ctx, key)]);
  const last = results[results.length - 1] as { rows: { item: NavigationRecord }[] };
  return toItemRecord(last.rows[0]!.item);
}

const itemIdOf = (key: string) => sql`(select id from navigation_items where key = ${key})`;

const itemMissing = (key: string): Check => ({
  code: 'NAVIGATION_ITEM_NOT_FOUND',
  failsWhen: sql`not exists (select 1 from navigation_items where key = ${key})`,
  detail: sql`${key}::text`,
});

/** Fails with the names (comma-separated) of permissions that do not exist. */
function unknownPermissions(names: readonly string[]): Check {
  const unknown = sql`(select string_agg(r.name, ',' order by r.name)
    from jsonb_array_elements_text(${JSON.stringify(names)}::jsonb) as r(name)
    where not exists (select 1 from permissions p where p.resource || ':' || p.action = r.name))`;
  return { code: 'UNKNOWN_PERMISSION', failsWhen: sql`${unknown} is not null`, detail: unknown };
}

function insertPermissions(ctx: ServiceContext, itemId: SQL, names: readonly string[]) {
  const at = ctx.now.toISOString();
  return ctx.db.execute(sql`insert into navigation_permissions (navigation_item_id, permission_id, created_at, updated_at)
    select ${itemId}, p.id, ${at}::timestamptz, ${at}::timestamptz from permissions p
    where p.resource || ':' || p.action in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))`);
}

/** `POST /api/navigation/items`. */
export async function createNavigationItem(ctx: ServiceContext, input: CreateItem) {
  const id = crypto.randomUUID();
  const parentKey = input.parentKey ?? null;
  const permissions = input.permissions ?? [];
  const checks: Check[] = [
    { code: 'NAVIGATION_KEY_EXISTS', failsWhen: sql`exists (select 1 from navigation_items where key = ${input.key})`, detail: sql`${input.key}::text` },
  ];
  if (parentKey) {
    checks.push({
      code: 'NAVIGATION_PARENT_NOT_FOUND',
      failsWhen: sql`not exists (select 1 from navigation_items where key = ${parentKey})`,
      detail: sql`${parentKey}::text`,
    });
  }
  if (permissions.length > 0) checks.push(unknownPermissions(permissions));

  const statements: Statement[] = [
    ctx.db.execute(guard(checks)),
    ctx.db.insert(navigationItems).values({
      id,
      parentId: parentKey ? itemIdOf(parentKey) : null,
      key: input.key,
      title: input.title,
      type: input.type,
      icon: input.icon ?? null,
      link: input.link ?? null,
      target: input.target ?? '_self',
      sortOrder: input.sortOrder ?? 0,
      disabled: input.disabled ?? false,
      hidden: input.hidden ?? false,
      exactMatch: input.exactMatch ?? false,
      badgeTitle: input.badge?.title ?? null,
      badgeClasses: input.badge?.classes ?? null,
      badgeVariant: input.badge?.variant ?? null,
      showInDefault: input.showIn?.default ?? true,
      showInCompact: input.showIn?.compact ?? true,
      showInHorizontal: input.showIn?.horizontal ?? true,
      showInMobile: input.showIn?.mobile ?? true,
      meta: input.meta ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
  ];
  if (permissions.length > 0) statements.push(insertPermissions(ctx, sql`${id}::uuid`, permissions));
  statements.push(auditInsert(ctx, { entityType: ENTITY, entityId: input.key, action: 'create', description: 'Created a navigation item', newValues: input }));

  return writeAndRead(ctx, statements, input.key);
}

/** `column = value` for every field present in an update. */
function assignments(patch: UpdateItem): SQL[] {
  const set: SQL[] = [];
  const assign = (column: string, value: unknown) => set.push(sql`${sql.identifier(column)} = ${value}`);
  if (patch.key !== undefined) assign('key', patch.key);
  if (patch.title !== undefined) assign('title', patch.title);
  if (patch.type !== undefined) assign('type', patch.type);
  if (patch.icon !== undefined) assign('icon', patch.icon);
  if (patch.link !== undefined) assign('link', patch.link);
  if (patch.target !== undefined) assign('target', patch.target);
  if (patch.sortOrder !== undefined) assign('sort_order', patch.sortOrder);
  if (patch.disabled !== undefined) assign('disabled', patch.disabled);
  if (patch.hidden !== undefined) assign('hidden', patch.hidden);
  if (patch.exactMatch !== undefined) assign('exact_match', patch.exactMatch);
  if (patch.badge !== undefined) {
    assign('badge_title', patch.badge?.title ?? null);
    assign('badge_classes', patch.badge?.classes ?? null);
    assign('badge_variant', patch.badge?.variant ?? null);
  }
  if (patch.showIn?.default !== undefined) assign('show_in_default', patch.showIn.default);
  if (patch.showIn?.compact !== undefined) assign('show_in_compact', patch.showIn.compact);
  if (patch.showIn?.horizontal !== undefined) assign('show_in_horizontal', patch.showIn.horizontal);
  if (patch.showIn?.mobile !== undefined) assign('show_in_mobile', patch.showIn.mobile);
  if (patch.meta !== undefined) set.push(sql`meta = ${patch.meta === null ? null : JSON.stringify(patch.meta)}::jsonb`);
  return set;
}

/**
 * Locks the item and the new parent's chain of ancestors before a move. Two concurrent moves that
 * could close a cycle between them (A under B, B under A) both need a row the other locks, so the
 * second waits for the first to commit and its cycle check, a later statement with a fresh
 * snapshot, sees the first move.
 */
function lockChain(ctx: ServiceContext, key: string, parentKey: string) {
  return ctx.db.execute(sql`with recursive chain(id, parent_id) as (
      select id, parent_id from navigation_items where key = ${parentKey}
      union
      select n.id, n.parent_id from navigation_items n join chain c on n.id = c.parent_id
    )
    select id from navigation_items where key = ${key} or id in (select id from chain) for update`);
}

/**
 * `PATCH /api/navigation/items/{key}`. A move is checked inside the UPDATE: its WHERE refuses a
 * new parent that lies in the item's own subtree (a recursive CTE), so no statement can ever
 * create a cycle; the verdict then tells "not found", "no such parent" and "cycle" apart.
 */
export async function updateNavigationItem(ctx: ServiceContext, key: string, patch: UpdateItem) {
  const moves = patch.parentKey !== undefined;
  const newParent = patch.parentKey ? itemIdOf(patch.parentKey) : sql`null::uuid`;
  const set = assignments(patch);
  if (moves) set.push(sql`parent_id = ${newParent}`);
  set.push(sql`updated_at = ${ctx.now.toISOString()}::timestamptz`);

  const checks: Check[] = [{ code: 'NAVIGATION_ITEM_NOT_FOUND', failsWhen: sql`not exists (select 1 from target)`, detail: sql`${key}::text` }];
  if (patch.parentKey) {
    checks.push({ code: 'NAVIGATION_PARENT_NOT_FOUND', failsWhen: sql`${newParent} is null`, detail: sql`${patch.parentKey}::text` });
  }
  checks.push({ code: 'NAVIGATION_CYCLE', failsWhen: sql`not exists (select 1 from changed)`, detail: sql`${patch.parentKey ?? ''}::text` });

  const update = ctx.db.execute(sql`with recursive
      target as (select id from navigation_items where key = ${key}),
      subtree(id) as (
        select id from target
        union
        select c.id from navigation_items c join subtree s on c.parent_id = s.id
      ),
      changed as (
        update navigation_items set ${sql.join(set, sql`, `)}
        where id = (select id from target)
          ${moves ? sql`and not exists (select 1 from subtree where subtree.id = ${newParent})` : sql``}
        returning id
      )
    select ${verdict(checks)} as verdict`);

  const statements: Statement[] = [];
  if (patch.parentKey) statements.push(lockChain(ctx, key, patch.parentKey));
  statements.push(
    update,
    auditInsert(ctx, { entityType: ENTITY, entityId: key, action: 'update', description: 'Updated a navigation item', newValues: patch }),
  );
  return writeAndRead(ctx, statements, patch.key ?? key);
}

/** `DELETE /api/navigation/items/{key}`: the item and, through the foreign key, its whole subtree. */
export async function deleteNavigationItem(ctx: ServiceContext, key: string) {
  const remove = ctx.db.execute<{ deleted_keys: string[] }>(sql`with recursive
      target as (select id from navigation_items where key = ${key}),
      subtree(id) as (
        select id from target
        union
        select c.id from navigation_items c join subtree s on c.parent_id = s.id
      ),
      removed as (delete from navigation_items where id = (select id from target) returning id)
    select ${verdict([{ code: 'NAVIGATION_ITEM_NOT_FOUND', failsWhen: sql`not exists (select 1 from removed)`, detail: sql`${key}::text` }])} as verdict,
      (select coalesce(json_agg(n.key order by n.key <> ${key}, n.key), '[]'::json)
        from navigation_items n where n.id in (select id from subtree)) as deleted_keys`);

  const results = await write(ctx, [
    remove,
    auditInsert(ctx, { entityType: ENTITY, entityId: key, action: 'delete', description: 'Deleted a navigation item and its subtree' }),
  ]);
  const removed = results[0] as { rows: { deleted_keys: string[] }[] };
  return { key, deletedKeys: removed.rows[0]?.deleted_keys ?? [key] };
}

/** `PUT /api/navigation/items/{key}/permissions`: replaces the item's required permissions. */
export async function setNavigationItemPermissions(ctx: ServiceContext, key: string, permissions: readonly string[]) {
  const checks: Check[] = [itemMissing(key)];
  if (permissions.length > 0) checks.push(unknownPermissions(permissions));
  const statements: Statement[] = [
    ctx.db.execute(guard(checks)),
    ctx.db.execute(sql`delete from navigation_permissions where navigation_item_id = ${itemIdOf(key)}`),
  ];
  if (permissions.length > 0) statements.push(insertPermissions(ctx, itemIdOf(key), permissions));
  statements.push(
    auditInsert(ctx, { entityType: ENTITY, entityId: key, action: 'update', description: 'Set the permissions of a navigation item', newValues: { permissions } }),
  );
  return writeAndRead(ctx, statements, key);
}

/** `POST /api/navigation/items/reorder`: new sort orders for many items in one statement. */
export async function reorderNavigationItems(ctx: ServiceContext, input: Reorder) {
  const wanted = JSON.stringify(input.items.map((item) => ({ key: item.key, sort_order: item.sortOrder })));
  const missing = sql`(select string_agg(w.key, ',' order by w.key) from wanted w where w.key not in (select key from changed))`;
  const reorder = ctx.db.execute(sql`with
      wanted as (select r.key, r.sort_order from jsonb_to_recordset(${wanted}::jsonb) as r(key text, sort_order int)),
      changed as (
        update navigation_items n set sort_order = w.sort_order, updated_at = ${ctx.now.toISOString()}::timestamptz
        from wanted w where n.key = w.key
        returning n.key
      )
    select ${verdict([{ code: 'NAVIGATION_ITEM_NOT_FOUND', failsWhen: sql`${missing} is not null`, detail: missing }])} as verdict`);
  await write(ctx, [
    reorder,
    auditInsert(ctx, {
      entityType: ENTITY,
      entityId: null,
      action: 'update',
      description: `Reordered ${input.items.length} navigation item(s)`,
      newValues: { items: input.items },
    }),
  ]);
  return { updated: input.items.length };
}
