import { sql, type SQL } from 'drizzle-orm';

export interface RoleRef {
  id: string;
  name: string;
}

/*
 * Subqueries for a select list. They name their tables with aliases in plain SQL: Drizzle leaves
 * column references unqualified in a single-table select, which would be ambiguous inside them.
 * `userId` is a column or expression of the outer query (e.g. `users.id`) or a parameter.
 */

/** Active, unexpired role grants of a user (`user_roles` rows aliased `ur`). */
const activeGrants = (userId: SQL | unknown, now: Date) =>
  sql`ur.user_id = ${userId} and ur.is_active is not false and (ur.expires_at is null or ur.expires_at > ${now.toISOString()}::timestamptz)`;

/** The user's roles as a JSON array of `{id, name}`, ordered by name. */
export const rolesOf = (userId: SQL | unknown, now: Date) =>
  sql<RoleRef[]>`coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
    from user_roles ur join roles r on r.id = ur.role_id where ${activeGrants(userId, now)}), '[]'::json)`;

/** The user's effective `resource:action` permissions as a JSON array. */
export const permissionsOf = (userId: SQL | unknown, now: Date) =>
  sql<string[]>`coalesce((select json_agg(distinct p.resource || ':' || p.action)
    from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
    join permissions p on p.id = rp.permission_id where ${activeGrants(userId, now)}), '[]'::json)`;

/** The role the original API reports as `role`: admin when held, else the first by name. */
export function primaryRole(list: RoleRef[]): RoleRef | null {
  return list.find((r) => r.name === 'admin') ?? list[0] ?? null;
}

/** True when `granted` (with `*:*` and `resource:*` wildcards) covers `required`. */
export function permits(granted: readonly string[], required: string): boolean {
  const [resource, action] = required.split(':');
  return granted.some((p) => {
    const [r, a] = p.split(':');
    return (r === '*' || r === resource) && (a === '*' || a === action);
  });
}

/**
 * What an API key may do: each scope its owner still covers, and, for a scope wider than the
 * owner's permissions (e.g. `*:*` after the owner lost their admin role), the owner's permissions
 * inside it. Never more than the owner holds, never more than the key's scopes.
 */
export function intersectPermissions(scopes: readonly string[], owned: readonly string[]): string[] {
  const kept = new Set(scopes.filter((scope) => permits(owned, scope)));
  for (const permission of owned) if (permits(scopes, permission)) kept.add(permission);
  return [...kept];
}

/** The permissions of `wanted` that `granted` does not cover (wildcards understood both ways). */
export const uncovered = (granted: readonly string[], wanted: readonly string[]) => wanted.filter((p) => !permits(granted, p));

/*
 * Containment inside a batch. `granted` is the caller's permission list (from the access token or
 * the key's scopes); the permissions compared with it are read by the statement itself, so a
 * concurrent change of a role cannot slip between the check and the write.
 */

/** True when `granted` (a JSON array parameter) covers the permission row aliased `p`. */
const covers = (granted: readonly string[]) =>
  sql`exists (select 1 from jsonb_array_elements_text(${JSON.stringify(granted)}::jsonb) g(perm)
    where split_part(g.perm, ':', 1) in ('*', p.resource) and split_part(g.perm, ':', 2) in ('*', p.action))`;

/** True when every permission of the role is covered by `granted`. */
export const roleWithin = (roleId: SQL | unknown, granted: readonly string[]) =>
  sql`not exists (select 1 from role_permissions rp join permissions p on p.id = rp.permission_id
    where rp.role_id = ${roleId} and not ${covers(granted)})`;

/** True when every permission the user holds (active, unexpired grants) is covered by `granted`. */
export const userWithin = (userId: SQL | unknown, granted: readonly string[], now: Date) =>
  sql`not exists (select 1 from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
    join permissions p on p.id = rp.permission_id where ${activeGrants(userId, now)} and not ${covers(granted)})`;

/**
 * True when at least one active user (status `active`, not deleted) holds `*:*` through an active,
 * unexpired grant. Evaluated as the last statement of a batch, it sees the batch's own changes.
 */
export const administratorRemains = (now: Date) =>
  sql`exists (select 1 from users u join user_roles ur on ur.user_id = u.id
    join role_permissions rp on rp.role_id = ur.role_id join permissions p on p.id = rp.permission_id
    where p.resource = '*' and p.action = '*' and u.deleted_at is null and u.status = 'active' and u.is_active is not false
      and ${activeGrants(sql`u.id`, now)})`;

/** True when `granted` covers the permission row with this id. */
export const permissionWithin = (permissionId: SQL | unknown, granted: readonly string[]) =>
  sql`exists (select 1 from permissions p where p.id = ${permissionId} and ${covers(granted)})`;
