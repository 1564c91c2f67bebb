import {
  boolean,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

export const roles = pgTable(
  'roles',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: varchar({ length: 50 }).notNull(),
    description: varchar({ length: 255 }),
    ...timestamps(),
  },
  (t) => [unique('roles_name_unique').on(t.name)],
);

export const permissions = pgTable(
  'permissions',
  {
    id: uuid().primaryKey().defaultRandom(),
    resource: varchar({ length: 100 }).notNull(),
    action: varchar({ length: 50 }).notNull(),
    description: varchar({ length: 255 }),
    ...timestamps(),
  },
  (t) => [
    unique('permissions_resource_action_unique').on(t.resource, t.action),
    index('permissions_action_idx').on(t.action),
  ],
);

export const rolePermissions = pgTable(
  'role_permissions',
  {
    roleId: uuid('role_id').notNull(),
    permissionId: uuid('permission_id').notNull(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'role_permissions_pkey', columns: [t.roleId, t.permissionId] }),
    index('role_permissions_permission_id_idx').on(t.permissionId),
    foreignKey({
      name: 'role_permissions_role_id_fkey',
      columns: [t.roleId],
      foreignColumns: [roles.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'role_permissions_permission_id_fkey',
      columns: [t.permissionId],
      foreignColumns: [permissions.id],
    }).onDelete('cascade'),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
    isActive: boolean('is_active').default(true),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).defaultNow(),
    assignedBy: uuid('assigned_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique('user_roles_user_id_role_id_unique').on(t.userId, t.roleId),
    index('user_roles_user_id_is_active_idx').on(t.userId, t.isActive),
    index('user_roles_role_id_idx').on(t.roleId),
    index('user_roles_assigned_by_idx').on(t.assignedBy),
    foreignKey({
      name: 'user_roles_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'user_roles_role_id_fkey',
      columns: [t.roleId],
      foreignColumns: [roles.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'user_roles_assigned_by_fkey',
      columns: [t.assignedBy],
      foreignColumns: [users.id],
    }).onDelete('set null'),
  ],
);

export type Role = typeof roles.$inferSelect;
export type NewRole = typeof roles.$inferInsert;
export type Permission = typeof permissions.$inferSelect;
export type NewPermission = typeof permissions.$inferInsert;
export type RolePermission = typeof rolePermissions.$inferSelect;
export type NewRolePermission = typeof rolePermissions.$inferInsert;
export type UserRole = typeof userRoles.$inferSelect;
export type NewUserRole = typeof userRoles.$inferInsert;
