import { expect } from 'vitest';
import { loginAs, registerUser, sql } from '../harness';

/** A fresh user whose only role holds exactly `permissions` (a role created for the test), signed in. */
export async function signedInWith(permissions: string[]) {
  const user = await registerUser();
  const role = `t_role_${crypto.randomUUID().slice(0, 8)}`;
  await sql('insert into roles (name, description) values ($1, $2)', [role, 'test role']);
  await sql(
    `insert into role_permissions (role_id, permission_id)
     select r.id, p.id from roles r, permissions p where r.name = $1 and p.resource || ':' || p.action = any($2::text[])`,
    [role, `{${permissions.join(',')}}`],
  );
  await sql('delete from user_roles where user_id = $1', [user.id]);
  await sql('insert into user_roles (user_id, role_id) select $1, id from roles where name = $2', [user.id, role]);
  const session = await loginAs(user.email, user.password);
  expect([...session.user.permissions].sort()).toEqual([...permissions].sort());
  return { user, session };
}

/** Locks a preference for users (a template with user_configurable false) until the returned function runs. */
export async function lockSetting(category: string, key: string, defaultValue: string, dataType = 'boolean') {
  const [row] = await sql<{ id: string }>(
    `insert into setting_templates (category, key, default_value, data_type, user_configurable) values ($1, $2, $3, $4, false) returning id`,
    [category, key, defaultValue, dataType],
  );
  return async () => {
    await sql('delete from setting_templates where id = $1', [row!.id]);
  };
}

export const json = (text: string | null | undefined): any => (text ? JSON.parse(text) : null);
