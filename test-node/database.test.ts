import { compare } from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../scripts/db/migrate';
import { seedDatabase, type SeedResult } from '../scripts/db/seed';
import { seedNavigationItems, type SeedNavigationItem } from '../scripts/db/seed-data';
import { startLocalDb, type LocalDb } from '../scripts/local-db/server';

const tables = [
  'api_keys',
  'audit_logs',
  'avatar_files',
  'email_verification_tokens',
  // Not in the seed document: login throttling per (account, source), migration 0006 (issue 14).
  'login_throttles',
  'navigation_items',
  'navigation_permissions',
  'notification_preferences',
  'notifications',
  'password_reset_tokens',
  'permissions',
  'role_permissions',
  'roles',
  'session_activity',
  'session_security_events',
  'setting_templates',
  'system_settings',
  'themes',
  'user_navigation_preferences',
  'user_preferences',
  'user_roles',
  'user_sessions',
  'user_settings',
  'users',
];

/** pg_constraint.confdeltype */
const onDelete = { cascade: 'c', setNull: 'n' } as const;

describe('migrations and seed on a fresh database', () => {
  let db: LocalDb;
  let firstSeed: SeedResult;
  const query = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await db.pool.query(sql, params)).rows as T[];
  const count = async (sql: string, params: unknown[] = []) =>
    (await query<{ n: number }>(`select count(*)::int as n from ${sql}`, params))[0]?.n;

  /** Row count and a hash of every row's text, per table. */
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(async (table) => {
          const [row] = await query(
            `select count(*)::int as rows, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as hash from ${table} t`,
          );
          return [table, row] as const;
        }),
      ),
    );

  beforeAll(async () => {
    db = await startLocalDb();
    await migrateDatabase(db.pool);
    firstSeed = await seedDatabase(db.pool, { bcryptCost: 4 });
  });

  afterAll(async () => {
    await db?.stop();
  });

  it('creates exactly the seed’s 23 tables and login_throttles', async () => {
    const rows = await query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    expect(rows.map((row) => row.name)).toEqual(tables);
  });

  it('creates the primary keys, unique constraints, checks and foreign keys', async () => {
    const rows = await query<{ type: string; n: number }>(
      `select contype as type, count(*)::int as n from pg_constraint
       where connamespace = 'public'::regnamespace and contype in ('p', 'u', 'c', 'f') group by contype`,
    );
    expect(Object.fromEntries(rows.map(({ type, n }) => [type, n]))).toEqual({ p: 24, u: 17, c: 17, f: 26 });
  });

  it.each([
    ['user_sessions', 'user_id', 'users', onDelete.cascade],
    ['login_throttles', 'user_id', 'users', onDelete.cascade],
    ['audit_logs', 'user_id', 'users', onDelete.setNull],
    ['session_security_events', 'session_id', 'user_sessions', onDelete.setNull],
    ['navigation_items', 'parent_id', 'navigation_items', onDelete.cascade],
  ])('%s.%s references %s with the expected ON DELETE rule', async (table, column, target, rule) => {
    const rows = await query(
      `select c.confrelid::regclass::text as target, c.confdeltype as rule
       from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       where c.contype = 'f' and c.conrelid = $1::regclass and a.attname = $2 and cardinality(c.conkey) = 1`,
      [table, column],
    );
    expect(rows).toEqual([{ target, rule }]);
  });

  it('seeds the roles and permissions, *:* included', async () => {
    expect(await count('roles')).toBe(2);
    // The seed document's 26, plus the 13 self-service permissions every operation now names (migration 0005)
    // and api_keys:validate (migration 0008), which only admin holds.
    expect(await count('permissions')).toBe(40);
    expect(await count(`permissions where resource = '*' and action = '*'`)).toBe(1);
    const grants = await query<{ role: string; n: number }>(
      `select r.name as role, count(*)::int as n from role_permissions rp join roles r on r.id = rp.role_id
       group by r.name order by r.name`,
    );
    expect(grants).toEqual([
      { role: 'admin', n: 40 },
      { role: 'user', n: 22 },
    ]);
  });

  it('seeds the users, themes, settings and templates', async () => {
    expect(await count('users')).toBe(2);
    expect(await count('themes')).toBe(4);
    expect(await count('themes where is_default')).toBe(1);
    // The seed document's 10, less the three decorative ones migration 0009 removes.
    expect(await count('system_settings')).toBe(7);
    expect(await count('setting_templates')).toBe(7);
    const preferences = await query<{ n: number }>(
      `select count(p.id)::int as n from users u left join notification_preferences p on p.user_id = u.id group by u.id`,
    );
    expect(preferences).toEqual([{ n: 5 }, { n: 5 }]);
  });

  it('seeds the navigation tree', async () => {
    const rows = await query<{ key: string; parent: string | null }>(
      `select i.key, p.key as parent from navigation_items i left join navigation_items p on p.id = i.parent_id`,
    );
    const parents = Object.fromEntries(rows.map(({ key, parent }) => [key, parent]));
    expect(parents['help-contact']).toBe('help-support');
    const seeded: readonly SeedNavigationItem[] = seedNavigationItems;
    expect(parents).toEqual(Object.fromEntries(seeded.map((item) => [item.key, item.parentKey ?? null])));
  });

  it('returns the generated passwords, stored only as bcrypt hashes', async () => {
    const { admin, demo } = firstSeed.generatedPasswords;
    expect(admin).toMatch(/^\S{16,}$/);
    expect(demo).toMatch(/^\S{16,}$/);
    const users = await query<{ email: string; password: string }>('select email, password from users');
    const hashOf = (email: string) => users.find((user) => user.email === email)?.password ?? '';
    expect(await compare(admin ?? '', hashOf('admin@aegisx.local'))).toBe(true);
    expect(await compare(demo ?? '', hashOf('demo@aegisx.local'))).toBe(true);
    expect(users.map((user) => user.password)).not.toContain(admin);
  });

  it('changes nothing when run again, existing passwords included', async () => {
    const before = await snapshot();
    const logs: string[] = [];
    const again = await seedDatabase(db.pool, {
      adminPassword: 'Another-admin-password-1',
      bcryptCost: 4,
      log: (msg) => logs.push(msg),
    });

    expect(await snapshot()).toEqual(before);
    expect(Object.values(again.created).every((n) => n === 0)).toBe(true);
    expect(again.generatedPasswords).toEqual({});
    expect(logs).toContain('admin@aegisx.local already exists: its password was left unchanged');
  });
});
