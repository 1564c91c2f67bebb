import { hashSync } from 'bcryptjs';
import type { Pool } from 'pg';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../src/modules/notifications/defaults';

export interface BenchDataSize {
  /** Accounts in the users table (bench-user-1 .. bench-user-N). */
  users: number;
  /** Rows in audit_logs, spread over the last year. */
  auditRows: number;
  /** Accounts the benchmark clients sign in as (the first ones); each gets `notificationsPerUser`. */
  testUsers: number;
  notificationsPerUser: number;
}

export const BENCH_PASSWORD = 'Bench-password-2026!';
/** bcrypt cost of the shared hash: the Worker's BCRYPT_COST, so logins do not re-hash. */
const BCRYPT_COST = 10;
const AUDIT_CHUNK = 100_000;
/** Audit rows are spaced this far apart, newest now: 1,000,000 rows span 347 days. */
const AUDIT_SPACING_SECONDS = 30;

/** How many days back the seeded audit trail reaches. */
export const auditSpanDays = (auditRows: number) => (auditRows * AUDIT_SPACING_SECONDS) / 86_400;

export const benchEmail = (n: number) => `bench-user-${n}@bench.test`;

/** Test users 1..admins also hold the admin role (they walk the audit log). */
export const adminTestUsers = (testUsers: number) => Math.max(1, Math.ceil(testUsers / 8));

/**
 * Seeds the benchmark's data set with set-based SQL (generate_series), on top of the reference
 * seed (roles, permissions, settings, themes, navigation): every account shares one precomputed
 * bcrypt hash of BENCH_PASSWORD. Returns the seconds each step took.
 */
export async function seedBenchData(pool: Pool, size: BenchDataSize, log: (line: string) => void): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    timings[name] = Math.round(performance.now() - started) / 1000;
    log(`  ${name}: ${timings[name]} s`);
  };
  const hash = hashSync(BENCH_PASSWORD, BCRYPT_COST);
  const notificationTypes = DEFAULT_NOTIFICATION_PREFERENCES.map((p) => JSON.stringify(p));

  await step(`users (${size.users})`, () =>
    pool.query(
      `insert into users (email, username, password, first_name, last_name, name, status, email_verified, email_verified_at,
         is_active, timezone, language, created_at, updated_at, password_changed_at)
       select 'bench-user-' || i || '@bench.test', 'bench_user_' || i, $2, 'Bench', 'User ' || i, 'Bench User ' || i,
         'active', true, now() - make_interval(days => i % 700), true,
         (array['UTC', 'Asia/Bangkok', 'Europe/Paris', 'America/New_York'])[1 + i % 4],
         (array['en', 'th', 'fr'])[1 + i % 3],
         now() - make_interval(days => i % 700), now(), now() - make_interval(days => i % 700)
       from generate_series(1, $1::int) i`,
      [size.users, hash],
    ),
  );
  await step('user roles', () =>
    pool.query(
      `insert into user_roles (user_id, role_id, assigned_at)
       select u.id, r.id, u.created_at
       from users u
       join roles r on r.name = 'user' or (r.name = 'admin' and substring(u.email from '^bench-user-([0-9]+)@')::int <= $1)
       where u.email like 'bench-user-%'`,
      [adminTestUsers(size.testUsers)],
    ),
  );
  await step('user preferences', () =>
    pool.query(
      `insert into user_preferences (user_id, theme, scheme, layout, language, timezone)
       select u.id, (array['default', 'dark', 'minimal', 'enterprise'])[1 + n % 4], (array['light', 'dark', 'auto'])[1 + n % 3],
         (array['classic', 'compact', 'enterprise'])[1 + n % 3], u.language, u.timezone
       from (select id, language, timezone, substring(email from '^bench-user-([0-9]+)@')::int as n from users where email like 'bench-user-%') u`,
    ),
  );
  await step('notification preferences', () =>
    pool.query(
      `insert into notification_preferences (user_id, notification_type, email_enabled, push_enabled, desktop_enabled, sound_enabled, frequency)
       select u.id, p->>'notificationType', (p->>'emailEnabled')::boolean, (p->>'pushEnabled')::boolean,
         (p->>'desktopEnabled')::boolean, (p->>'soundEnabled')::boolean, p->>'frequency'
       from users u cross join unnest($1::jsonb[]) p
       where u.email like 'bench-user-%'`,
      [notificationTypes],
    ),
  );
  // Bulk load: the secondary indexes are dropped and rebuilt once, faster than maintaining them per row.
  const { rows: indexes } = await pool.query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
     where i.schemaname = 'public' and i.tablename = 'audit_logs'
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
  );
  await pool.query(`drop index ${indexes.map((i) => `"${i.name}"`).join(', ')}`);
  for (let from = 1; from <= size.auditRows; from += AUDIT_CHUNK) {
    const to = Math.min(size.auditRows, from + AUDIT_CHUNK - 1);
    await step(`audit rows ${from}-${to}`, () =>
      pool.query(
        `insert into audit_logs (user_id, entity_type, entity_id, action, description, new_values, ip_address, user_agent, source, metadata, created_at)
         select u.ids[1 + i % u.n], (array['user', 'session', 'role', 'system_setting', 'theme', 'notification'])[1 + i % 6], md5(i::text),
           (array['create', 'read', 'update', 'delete', 'login', 'logout'])[1 + i % 6], 'Bench event ' || i,
           jsonb_build_object('field', 'value ' || i), '10.' || (i % 250) || '.' || (i % 199) || '.' || (i % 97),
           'Mozilla/5.0 (bench)', (array['web', 'api', 'mobile'])[1 + i % 3], jsonb_build_object('bench', true),
           now() - make_interval(secs => i * $3::int)
         from generate_series($1::int, $2::int) i,
           (select array_agg(id order by email) as ids, count(*)::int as n from users where email like 'bench-user-%') u`,
        [from, to, AUDIT_SPACING_SECONDS],
      ),
    );
  }
  await step(`audit_logs indexes (${indexes.length})`, async () => {
    for (const index of indexes) await pool.query(index.definition);
  });
  await step(`notifications (${size.notificationsPerUser} per test user)`, () =>
    pool.query(
      `insert into notifications (user_id, type, title, message, priority, read, read_at, email_status, created_at, updated_at)
       select u.id, (array['security', 'updates', 'reminders', 'system'])[1 + j % 4], 'Bench notification ' || j,
         'Message ' || j || ' for ' || u.email, (array['low', 'normal', 'high', 'urgent'])[1 + j % 4], j % 3 = 0,
         case when j % 3 = 0 then now() - make_interval(mins => j) end, 'skipped',
         now() - make_interval(mins => j * 7), now() - make_interval(mins => j * 7)
       from users u cross join generate_series(1, $2::int) j
       where u.email like 'bench-user-%' and substring(u.email from '^bench-user-([0-9]+)@')::int <= $1`,
      [size.testUsers, size.notificationsPerUser],
    ),
  );
  await step('analyze', () => pool.query('analyze'));
  return timings;
}
