import { expect } from 'vitest';
import { api, expectError, sql, type TestUser } from '../harness';

/** Wrong passwords for `user` from `ip` until sign-in is refused even with the right password (the throttle in force). */
export async function throttleFrom(user: TestUser, ip: string, failures = 5) {
  for (let i = 0; i < failures; i++) {
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: `wrong-${i}-password` }, ip }), 401, 'INVALID_CREDENTIALS');
  }
  expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip }), 401, 'INVALID_CREDENTIALS');
}

/** Signs in with the right password from `ip`; returns the status. */
export async function signInStatus(user: TestUser, ip: string) {
  return (await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip })).status;
}

/** Adds a login_throttles row (test set-up for states a test cannot wait for). */
export async function throttleRow(userId: string, source: string, row: { failedAttempts?: number; lastFailedAt?: Date | null; blockedUntil?: Date | null; lastSuccessAt?: Date | null }) {
  await sql(
    `insert into login_throttles (user_id, source, failed_attempts, last_failed_at, blocked_until, last_success_at) values ($1, $2, $3, $4, $5, $6)
      on conflict (user_id, source) do update set failed_attempts = excluded.failed_attempts, last_failed_at = excluded.last_failed_at,
        blocked_until = excluded.blocked_until, last_success_at = excluded.last_success_at, updated_at = now()`,
    [userId, source, row.failedAttempts ?? 0, row.lastFailedAt?.toISOString() ?? null, row.blockedUntil?.toISOString() ?? null, row.lastSuccessAt?.toISOString() ?? null],
  );
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

/** The user's throttling state straight from the database, shaped as the API answers it (test assertion). */
export async function throttleInDatabase(userId: string, now = new Date()) {
  const [account] = await sql<{ locked_until: string | null; failed_login_attempts: number; last_failed_login_at: string | null }>(
    'select locked_until, failed_login_attempts, last_failed_login_at from users where id = $1',
    [userId],
  );
  expect(account).toBeDefined();
  const rows = await sql<Record<string, string | number | null>>(
    'select source, failed_attempts, last_failed_at, blocked_until, last_success_at from login_throttles where user_id = $1 order by updated_at desc, source',
    [userId],
  );
  const sources = rows.map((r) => ({
    source: r.source,
    failedAttempts: Number(r.failed_attempts),
    lastFailedAt: iso(r.last_failed_at),
    blockedUntil: iso(r.blocked_until),
    blocked: r.blocked_until !== null && new Date(String(r.blocked_until)) > now,
    lastSuccessAt: iso(r.last_success_at),
    known: r.last_success_at !== null,
  }));
  const locked = account!.locked_until !== null && new Date(account!.locked_until) > now;
  return {
    userId,
    throttled: locked || sources.some((s) => s.blocked),
    locked,
    lockedUntil: iso(account!.locked_until),
    failedLoginAttempts: Number(account!.failed_login_attempts),
    lastFailedLoginAt: iso(account!.last_failed_login_at),
    sources,
    sourcesTotal: sources.length,
  };
}
