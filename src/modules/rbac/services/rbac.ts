import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { permissions, rolePermissions, roles, userRoles, users } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { pgConstraint, pgErrorCode } from '../../../lib/db';
import { ApiError, type ErrorCode } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { permissionWithin } from '../../auth/services/principal';
import { containmentMessages, lastAdministratorGuard, requireGrantable, roleAdministrable, roleGrantable, userAdministrable } from './containment';
import { bumpPermissionEpoch, holdersScope, PER_USER_EPOCH_LIMIT } from './epochs';

/** Roles the platform relies on: never deleted or renamed. */
export const SYSTEM_ROLES = ['admin', 'user'] as const;
const isSystemRole = (name: string) => (SYSTEM_ROLES as readonly string[]).includes(name);

const permissionKey = sql<string>`${permissions.resource} || ':' || ${permissions.action}`;

/** The id of a permission named `resource:action`, as a subquery (null when unknown). */
const permissionIdOf = (name: string) => sql`(select p.id from permissions p where p.resource || ':' || p.action = ${name})`;

const roleColumns = {
  id: roles.id,
  name: roles.name,
  description: roles.description,
  createdAt: roles.createdAt,
  updatedAt: roles.updatedAt,
  permissions: sql<string[]>`coalesce((select json_agg(p.resource || ':' || p.action order by p.resource, p.action)
    from role_permissions rp join permissions p on p.id = rp.permission_id where rp.role_id = roles.id), '[]'::json)`,
  userCount: sql<number>`(select count(*)::int from user_roles ur where ur.role_id = roles.id)`,
};

type RoleRow = { id: string; name: string; description: string | null; createdAt: Date; updatedAt: Date; permissions: string[]; userCount: number };

export const toRole = (r: RoleRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  system: isSystemRole(r.name),
  permissions: r.permissions,
  userCount: Number(r.userCount),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** Statements inserting `role_permissions` for permission names; an unknown name fails the batch (NOT NULL). */
const grantStatements = (ctx: ServiceContext, roleId: string, names: readonly string[]) =>
  names.length === 0
    ? []
    : [
        ctx.db
          .insert(rolePermissions)
          .values(names.map((name) => ({ roleId, permissionId: permissionIdOf(name), createdAt: ctx.now, updatedAt: ctx.now })))
          .onConflictDoNothing(),
      ];

const roleMessages = {
  ...containmentMessages,
  NOT_FOUND: 'Role not found',
  CANNOT_CHANGE_SYSTEM_ROLE: 'The system roles admin and user cannot be deleted or renamed',
  CANNOT_REMOVE_OWN_ADMIN_ROLE: 'You cannot remove your own admin role',
};

/**
 * The users holding a role (a batch statement, at most PER_USER_EPOCH_LIMIT + 1 rows): a change of
 * the role moves their permission epochs, or the global one when there are more.
 */
const holdersOfRole = (ctx: ServiceContext, roleId: string) =>
  ctx.db.selectDistinct({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.roleId, roleId)).limit(PER_USER_EPOCH_LIMIT + 1);

/** Statement that aborts the batch with NOT_FOUND unless the role exists. */
const roleExists = (ctx: ServiceContext, id: string) => abortUnless(ctx.db, sql`exists (select 1 from roles r where r.id = ${id})`, 'NOT_FOUND');

async function runRoleBatch<T>(run: () => Promise<T>, messages: Partial<Record<ErrorCode, string>> = roleMessages): Promise<T> {
  try {
    return await guardedBatch(run, messages);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = pgErrorCode(error);
    if (code === '23502') throw new ApiError('VALIDATION_ERROR', 'Unknown permission', { details: [{ field: 'body.permissions', message: 'Every permission must exist (resource:action)', code: 'unknown_permission' }] });
    if (code === '23505' && (pgConstraint(error) ?? '').includes('name')) throw new ApiError('ROLE_ALREADY_EXISTS', 'A role with this name already exists');
    throw error;
  }
}

export async function listRoles(ctx: ServiceContext) {
  const rows = await ctx.db.select(roleColumns).from(roles).orderBy(asc(roles.name));
  return rows.map(toRole);
}

export async function getRole(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select(roleColumns).from(roles).where(eq(roles.id, id));
  if (!row) throw new ApiError('NOT_FOUND', 'Role not found');
  return toRole(row);
}

export async function createRole(ctx: ServiceContext, input: { name: string; description?: string | undefined; permissions?: string[] | undefined }) {
  const id = crypto.randomUUID();
  const names = [...new Set(input.permissions ?? [])];
  requireGrantable(ctx, names);
  await runRoleBatch(() =>
    ctx.db.batch([
      ctx.db.insert(roles).values({ id, name: input.name, description: input.description ?? null, createdAt: ctx.now, updatedAt: ctx.now }),
      ...grantStatements(ctx, id, names),
      auditInsert(ctx, { entityType: 'role', entityId: id, action: 'create', newValues: { name: input.name, description: input.description ?? null, permissions: names } }),
    ]),
  );
  return getRole(ctx, id);
}

export async function updateRole(ctx: ServiceContext, id: string, input: { name?: string | undefined; description?: string | null | undefined }) {
  const [current] = await ctx.db.select({ name: roles.name }).from(roles).where(eq(roles.id, id));
  if (!current) throw new ApiError('NOT_FOUND', 'Role not found');
  if (input.name !== undefined && input.name !== current.name && isSystemRole(current.name)) {
    throw new ApiError('CANNOT_CHANGE_SYSTEM_ROLE', `The system role ${current.name} cannot be renamed`);
  }
  const changes = { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.description !== undefined ? { description: input.description } : {}) };
  await runRoleBatch(() =>
    ctx.db.batch([
      roleExists(ctx, id),
      abortUnless(ctx.db, sql`not exists (select 1 from roles r where r.id = ${id} and r.name in ('admin', 'user') and r.name <> ${input.name ?? current.name})`, 'CANNOT_CHANGE_SYSTEM_ROLE'),
      roleAdministrable(ctx, id),
      auditInsert(ctx, { entityType: 'role', entityId: id, action: 'update', oldValues: sql`(select jsonb_build_object('name', r.name, 'description', r.description) from roles r where r.id = ${id})`, newValues: changes }),
      ctx.db.update(roles).set({ ...changes, updatedAt: ctx.now }).where(eq(roles.id, id)),
    ]),
  );
  return getRole(ctx, id);
}

export async function deleteRole(ctx: ServiceContext, id: string) {
  const administrators = lastAdministratorGuard(ctx);
  const [, , , , holders] = await runRoleBatch(() =>
    ctx.db.batch([
      administrators.lock,
      roleExists(ctx, id),
      abortUnless(ctx.db, sql`not exists (select 1 from roles r where r.id = ${id} and r.name in ('admin', 'user'))`, 'CANNOT_CHANGE_SYSTEM_ROLE'),
      roleAdministrable(ctx, id),
      holdersOfRole(ctx, id),
      auditInsert(ctx, { entityType: 'role', entityId: id, action: 'delete', oldValues: sql`(select jsonb_build_object('name', r.name) from roles r where r.id = ${id})` }),
      ctx.db.delete(roles).where(eq(roles.id, id)),
      administrators.check,
    ]),
  );
  await bumpPermissionEpoch(ctx, holdersScope(holders));
}

/** Replaces a role's permissions (`replace`), or adds / removes some, in one batch. */
export async function changeRolePermissions(ctx: ServiceContext, id: string, mode: 'replace' | 'add' | 'remove', names: readonly string[]) {
  const unique = [...new Set(names)];
  if (mode !== 'remove') requireGrantable(ctx, unique);
  const administrators = lastAdministratorGuard(ctx);
  const statements: BatchItem<'pg'>[] = [
    ...(mode === 'replace' ? [ctx.db.delete(rolePermissions).where(eq(rolePermissions.roleId, id))] : []),
    ...(mode === 'remove'
      ? [ctx.db.delete(rolePermissions).where(and(eq(rolePermissions.roleId, id), inArray(rolePermissions.permissionId, ctx.db.select({ id: permissions.id }).from(permissions).where(inArray(permissionKey, unique)))))]
      : grantStatements(ctx, id, unique)),
  ];
  const [, , , holders] = await runRoleBatch(() =>
    ctx.db.batch([
      administrators.lock,
      roleExists(ctx, id),
      roleAdministrable(ctx, id),
      holdersOfRole(ctx, id),
      auditInsert(ctx, {
        entityType: 'role',
        entityId: id,
        action: 'update',
        description: `Permissions ${mode === 'replace' ? 'replaced' : mode === 'add' ? 'granted' : 'revoked'}`,
        oldValues: sql`(select jsonb_build_object('permissions', coalesce(jsonb_agg(p.resource || ':' || p.action order by p.resource, p.action), '[]'::jsonb)) from role_permissions rp join permissions p on p.id = rp.permission_id where rp.role_id = ${id})`,
        newValues: { [mode === 'replace' ? 'permissions' : mode === 'add' ? 'granted' : 'revoked']: unique },
      }),
      ...statements,
      administrators.check,
    ]),
  );
  await bumpPermissionEpoch(ctx, holdersScope(holders));
  return getRole(ctx, id);
}

export async function listPermissions(ctx: ServiceContext) {
  const rows = await ctx.db
    .select({ id: permissions.id, resource: permissions.resource, action: permissions.action, description: permissions.description, createdAt: permissions.createdAt, roleCount: sql<number>`(select count(*)::int from role_permissions rp where rp.permission_id = permissions.id)` })
    .from(permissions)
    .orderBy(asc(permissions.resource), asc(permissions.action));
  return rows.map((p) => ({ ...p, name: `${p.resource}:${p.action}`, roleCount: Number(p.roleCount), createdAt: p.createdAt.toISOString() }));
}

export async function createPermission(ctx: ServiceContext, input: { resource: string; action: string; description?: string | undefined }) {
  const id = crypto.randomUUID();
  try {
    await ctx.db.batch([
      ctx.db.insert(permissions).values({ id, resource: input.resource, action: input.action, description: input.description ?? null, createdAt: ctx.now, updatedAt: ctx.now }),
      auditInsert(ctx, { entityType: 'permission', entityId: id, action: 'create', newValues: input }),
    ]);
  } catch (error) {
    if (pgErrorCode(error) === '23505') throw new ApiError('PERMISSION_ALREADY_EXISTS', `${input.resource}:${input.action} already exists`);
    throw error;
  }
  return { id, resource: input.resource, action: input.action, name: `${input.resource}:${input.action}`, description: input.description ?? null, roleCount: 0, createdAt: ctx.now.toISOString() };
}

export async function deletePermission(ctx: ServiceContext, id: string) {
  const holders = ctx.db
    .selectDistinct({ userId: userRoles.userId })
    .from(userRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
    .where(eq(rolePermissions.permissionId, id))
    .limit(PER_USER_EPOCH_LIMIT + 1);
  const [, , affected] = await guardedBatch(
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, sql`exists (select 1 from permissions p where p.id = ${id} and not (p.resource = '*' and p.action = '*'))`, 'NOT_FOUND'),
        abortUnless(ctx.db, permissionWithin(id, ctx.actor?.permissions ?? []), 'PROTECTED_TARGET'),
        holders,
        auditInsert(ctx, { entityType: 'permission', entityId: id, action: 'delete', oldValues: sql`(select jsonb_build_object('resource', p.resource, 'action', p.action) from permissions p where p.id = ${id})` }),
        ctx.db.delete(permissions).where(eq(permissions.id, id)),
      ]),
    { NOT_FOUND: 'Permission not found', PROTECTED_TARGET: 'You cannot delete a permission you do not hold' },
  );
  await bumpPermissionEpoch(ctx, holdersScope(affected));
}

/**
 * Grants a role to a user (idempotent), in one batch: the user and the role must exist, the role's
 * permissions must all be the caller's, and the user must not hold more than the caller.
 */
export async function assignRole(ctx: ServiceContext, userId: string, roleId: string) {
  await runRoleBatch(() =>
    ctx.db.batch([
      abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${userId})`, 'NOT_FOUND'),
      abortUnless(ctx.db, sql`exists (select 1 from roles r where r.id = ${roleId})`, 'ROLE_NOT_FOUND'),
      roleGrantable(ctx, roleId),
      userAdministrable(ctx, userId),
      ctx.db
        .insert(userRoles)
        .values({ userId, roleId, isActive: true, assignedAt: ctx.now, assignedBy: ctx.actor?.userId ?? null, createdAt: ctx.now, updatedAt: ctx.now })
        .onConflictDoUpdate({ target: [userRoles.userId, userRoles.roleId], set: { isActive: true, expiresAt: null, assignedBy: ctx.actor?.userId ?? null, updatedAt: ctx.now } }),
      auditInsert(ctx, { entityType: 'user_role', entityId: userId, action: 'create', newValues: { userId, roleId } }),
    ]),
    { ...roleMessages, NOT_FOUND: 'User not found', ROLE_NOT_FOUND: 'Role not found' },
  );
  await bumpPermissionEpoch(ctx, { userIds: [userId] });
}

/** Revokes a role from a user; an admin cannot remove their own admin role. */
export async function revokeRole(ctx: ServiceContext, userId: string, roleId: string) {
  const administrators = lastAdministratorGuard(ctx);
  await guardedBatch(
    () =>
      ctx.db.batch([
        administrators.lock,
        abortUnless(
          ctx.db,
          sql`not (${userId}::uuid = ${ctx.actor?.userId ?? null}::uuid and ${roleId}::uuid = (select r.id from roles r where r.name = 'admin'))`,
          'CANNOT_REMOVE_OWN_ADMIN_ROLE',
        ),
        abortUnless(ctx.db, sql`exists (select 1 from user_roles ur where ur.user_id = ${userId} and ur.role_id = ${roleId})`, 'NOT_FOUND'),
        userAdministrable(ctx, userId),
        auditInsert(ctx, { entityType: 'user_role', entityId: userId, action: 'delete', oldValues: { userId, roleId } }),
        ctx.db.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.roleId, roleId))),
        administrators.check,
      ]),
    { ...roleMessages, NOT_FOUND: 'The user does not hold this role' },
  );
  await bumpPermissionEpoch(ctx, { userIds: [userId] });
}
