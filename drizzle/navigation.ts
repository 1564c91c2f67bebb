import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { isOneOf, timestamps } from './columns';
import { permissions } from './rbac';
import { users } from './users';

export const navigationItemTypes = ['item', 'group', 'collapsible', 'divider', 'spacer'] as const;
export const navigationTargets = ['_self', '_blank', '_parent', '_top'] as const;
export const badgeVariants = [
  'default',
  'primary',
  'secondary',
  'success',
  'warning',
  'error',
] as const;

/** A self-referencing tree; `key` is the item's public id. */
export const navigationItems = pgTable(
  'navigation_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    parentId: uuid('parent_id'),
    key: varchar({ length: 100 }).notNull(),
    title: varchar({ length: 200 }).notNull(),
    type: text({ enum: navigationItemTypes }).notNull(),
    icon: varchar({ length: 100 }),
    link: varchar({ length: 500 }),
    target: text({ enum: navigationTargets }).default('_self'),
    sortOrder: integer('sort_order').default(0),
    disabled: boolean().default(false),
    hidden: boolean().default(false),
    exactMatch: boolean('exact_match').default(false),
    badgeTitle: varchar('badge_title', { length: 50 }),
    badgeClasses: varchar('badge_classes', { length: 200 }),
    badgeVariant: text('badge_variant', { enum: badgeVariants }),
    showInDefault: boolean('show_in_default').default(true),
    showInCompact: boolean('show_in_compact').default(true),
    showInHorizontal: boolean('show_in_horizontal').default(true),
    showInMobile: boolean('show_in_mobile').default(true),
    meta: jsonb().$type<Record<string, unknown>>(),
    ...timestamps(),
  },
  (t) => [
    unique('navigation_items_key_unique').on(t.key),
    check('navigation_items_type_check', isOneOf(t.type, navigationItemTypes)),
    check('navigation_items_target_check', isOneOf(t.target, navigationTargets)),
    check('navigation_items_badge_variant_check', isOneOf(t.badgeVariant, badgeVariants)),
    index('navigation_items_parent_id_idx').on(t.parentId),
    index('navigation_items_type_idx').on(t.type),
    index('navigation_items_sort_order_idx').on(t.sortOrder),
    index('navigation_items_disabled_idx').on(t.disabled),
    index('navigation_items_hidden_idx').on(t.hidden),
    foreignKey({
      name: 'navigation_items_parent_id_fkey',
      columns: [t.parentId],
      foreignColumns: [t.id],
    }).onDelete('cascade'),
  ],
);

export const navigationPermissions = pgTable(
  'navigation_permissions',
  {
    navigationItemId: uuid('navigation_item_id').notNull(),
    permissionId: uuid('permission_id').notNull(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({
      name: 'navigation_permissions_pkey',
      columns: [t.navigationItemId, t.permissionId],
    }),
    index('navigation_permissions_permission_id_idx').on(t.permissionId),
    foreignKey({
      name: 'navigation_permissions_navigation_item_id_fkey',
      columns: [t.navigationItemId],
      foreignColumns: [navigationItems.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'navigation_permissions_permission_id_fkey',
      columns: [t.permissionId],
      foreignColumns: [permissions.id],
    }).onDelete('cascade'),
  ],
);

export const userNavigationPreferences = pgTable(
  'user_navigation_preferences',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    navigationItemId: uuid('navigation_item_id').notNull(),
    hidden: boolean(),
    customSortOrder: integer('custom_sort_order'),
    pinned: boolean().default(false),
    ...timestamps(),
  },
  (t) => [
    unique('user_navigation_preferences_user_id_navigation_item_id_unique').on(
      t.userId,
      t.navigationItemId,
    ),
    index('user_navigation_preferences_navigation_item_id_idx').on(t.navigationItemId),
    index('user_navigation_preferences_pinned_idx').on(t.pinned),
    foreignKey({
      name: 'user_navigation_preferences_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'user_navigation_preferences_navigation_item_id_fkey',
      columns: [t.navigationItemId],
      foreignColumns: [navigationItems.id],
    }).onDelete('cascade'),
  ],
);

export type NavigationItem = typeof navigationItems.$inferSelect;
export type NewNavigationItem = typeof navigationItems.$inferInsert;
export type NavigationPermission = typeof navigationPermissions.$inferSelect;
export type NewNavigationPermission = typeof navigationPermissions.$inferInsert;
export type UserNavigationPreference = typeof userNavigationPreferences.$inferSelect;
export type NewUserNavigationPreference = typeof userNavigationPreferences.$inferInsert;
