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
