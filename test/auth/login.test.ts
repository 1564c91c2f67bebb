import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { api, CHROME_UA, dbStats, env, expectError, IPHONE_UA, loginAs, newPassword, registerUser, seededAdmin, sql, warmSettingsCache } from '../harness';

describe('POST /api/auth/login', () => {
  it('returns the user, tokens and an HttpOnly refresh cookie, records device and location, in 2 round trips', async () => {
    const user = await registerUser();
    await warmSettingsCache();
    const res = await api('/api/auth/login', {
      method: 'POST',
      body: { email: user.email.toUpperCase(), password: user.password },
      headers: { 'User-Agent': CHROME_UA },
      ip: '203.0.113.7',
      cf: { country: 'TH', region: 'Bangkok', city: 'Bangkok', timezone: 'Asia/Bangkok', latitude: '13.75', longitude: '100.50' },
    });
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({ twoFactorRequired: false, tokenType: 'Bearer', expiresIn: 900 });
    expect(data.user).toMatchObject({ id: user.id, email: user.email, roles: ['user'], role: { name: 'user' } });
    expect(data.user.permissions).toContain('profile:read');
    expect(data.refreshToken.length).toBeGreaterThanOrEqual(43);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/aegisx_refresh=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(Number(cookie.match(/Max-Age=(\d+)/)![1])).toBe(30 * 24 * 3600);
    // The account read, then one batch: session, user bookkeeping, the source marked known, activity, audit row.
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 6 });
    expect(res.headers.get('cache-control')).toBe('no-store');

    const [session] = await sql<Record<string, string>>('select * from user_sessions where id = $1', [data.sessionId]);
    expect(session).toMatchObject({ user_id: user.id, device_type: 'Desktop', device_browser: 'Chrome 131', ip_address: '203.0.113.7', location_country: 'TH', location_city: 'Bangkok' });
    expect(session!.device_os).toContain('Mac OS');
    expect(session!.refresh_token).not.toBe(data.refreshToken);
    expect(session!.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    const [u] = await sql<{ last_login_at: string | null }>('select last_login_at from users where id = $1', [user.id]);
    expect(u!.last_login_at).not.toBeNull();
    expect(await sql("select 1 from audit_logs where user_id = $1 and action = 'login'", [user.id])).toHaveLength(1);
    expect(await sql("select 1 from session_activity where session_id = $1 and activity_type = 'login'", [data.sessionId])).toHaveLength(1);
  });

  it('accepts the username instead of the email, and detects mobile devices', async () => {
    const user = await registerUser();
    const res = await api('/api/auth/login', { method: 'POST', body: { username: user.username, password: user.password }, headers: { 'User-Agent': IPHONE_UA } });
    expect(res.status).toBe(200);
    const [session] = await sql<Record<string, string>>('select device_type, device_name from user_sessions where id = $1', [res.body.data.sessionId]);
    expect(session).toMatchObject({ device_type: 'Mobile', device_name: 'Apple iPhone' });
  });

  it('answers unknown accounts, wrong passwords and soft-deleted accounts alike', async () => {
    const admin = await seededAdmin();
    const user = await registerUser();
    const wrong = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'not-the-password' } });
    const unknown = await api('/api/auth/login', { method: 'POST', body: { email: `nobody-${crypto.randomUUID()}@example.test`, password: 'whatever-password' } });
    const deleted = await registerUser();
    expect((await api(`/api/users/${deleted.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    const gone = await api('/api/auth/login', { method: 'POST', body: { email: deleted.email, password: deleted.password } });
    for (const res of [wrong, unknown, gone]) {
      expectError(res, 401, 'INVALID_CREDENTIALS');
      expect(res.body.error.message).toBe(wrong.body.error.message);
    }
    expect(await sql("select 1 from session_security_events where event_type = 'failed_login' and user_id = $1", [user.id])).toHaveLength(1);
  });

  it('refuses inactive and suspended accounts once the password is proven, and lets pending ones in', async () => {
    const admin = await seededAdmin();
    for (const status of ['inactive', 'suspended'] as const) {
      const user = await registerUser();
      expect((await api(`/api/users/${user.id}/status`, { method: 'PUT', token: admin.accessToken, body: { status } })).status).toBe(200);
      expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } }), 401, 'INVALID_CREDENTIALS');
      expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 403, 'ACCOUNT_DISABLED');
    }
    const pending = await registerUser();
    expect((await api('/api/auth/login', { method: 'POST', body: { email: pending.email, password: pending.password } })).status).toBe(200);
  });

  it('spends a full bcrypt comparison on an unknown account (dummy hash), like on a known one', async () => {
    const user = await registerUser();
    await loginAs(user.email, user.password);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const time = async (email: string) => {
      const started = performance.now();
      expectError(await api('/api/auth/login', { method: 'POST', body: { email, password: 'wrong-password-here' } }), 401, 'INVALID_CREDENTIALS');
      return performance.now() - started;
    };
    // One comparison at the configured cost, measured here: the floor an unknown account must not go under.
    const hash = await bcrypt.hash('calibration', Number(env.BCRYPT_COST));
    const compares: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await bcrypt.compare('wrong', hash);
      compares.push(performance.now() - started);
    }
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(`nobody-${crypto.randomUUID()}@example.test`));
      known.push(await time(user.email));
    }
    expect(median(unknown)).toBeGreaterThan(median(compares) * 0.8);
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
  });

  it('re-hashes a password made with another bcrypt cost at the next login', async () => {
    const user = await registerUser();
    // A hash of another cost cannot come through the API (it always hashes with BCRYPT_COST): written here.
    await sql('update users set password = $2 where id = $1', [user.id, await bcrypt.hash(user.password, 4)]);
    const [before] = await sql<{ password: string }>('select password from users where id = $1', [user.id]);
    expect(before!.password).toMatch(/^\$2[ab]\$04\$/);
    const res = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } });
    expect(res.status).toBe(200);
    const [after] = await sql<{ password: string }>('select password from users where id = $1', [user.id]);
    expect(after!.password).toMatch(new RegExp(`^\\$2[ab]\\$${env.BCRYPT_COST.padStart(2, '0')}\\$`));
    expect((await loginAs(user.email, user.password)).user.id).toBe(user.id);
  });

  it('blocks a guessing source with a growing back-off that expires, while the owner’s known address keeps working', async () => {
    const user = await registerUser();
    const [home, attacker] = ['198.51.100.10', '203.0.113.66'];
    const t0 = new Date(Date.now() + 3_600_000);
    const attempt = (password: string, at: Date, ip: string) => api('/api/auth/login', { method: 'POST', body: { email: user.email, password }, now: at, ip });
    expect((await attempt(user.password, t0, home)).status).toBe(200);
    for (let i = 0; i < 5; i++) expectError(await attempt('wrong-password', t0, attacker), 401, 'INVALID_CREDENTIALS');
    const [row] = await sql<{ failed_attempts: number; blocked_until: string }>('select failed_attempts, blocked_until from login_throttles where user_id = $1 and source = $2', [user.id, attacker]);
    expect(Number(row!.failed_attempts)).toBe(5);
    expect(new Date(row!.blocked_until).getTime()).toBe(t0.getTime() + 60_000);
    // Blocked: even the right password fails from there (and does not extend the block) ...
    expectError(await attempt(user.password, new Date(t0.getTime() + 30_000), attacker), 401, 'INVALID_CREDENTIALS');
    // ... but not from the owner's address.
    expect((await attempt(user.password, new Date(t0.getTime() + 30_000), home)).status).toBe(200);
    const t1 = new Date(t0.getTime() + 61_000);
    expectError(await attempt('wrong-password', t1, attacker), 401, 'INVALID_CREDENTIALS');
    // The sixth failure doubles the block: 2 minutes.
    expectError(await attempt(user.password, new Date(t1.getTime() + 90_000), attacker), 401, 'INVALID_CREDENTIALS');
    const ok = await attempt(user.password, new Date(t1.getTime() + 121_000), attacker);
    expect(ok.status).toBe(200);
    const [after] = await sql<{ failed_attempts: number; blocked_until: string | null }>('select failed_attempts, blocked_until from login_throttles where user_id = $1 and source = $2', [user.id, attacker]);
    expect(Number(after!.failed_attempts)).toBe(0);
    expect(after!.blocked_until).toBeNull();
  });

  it('an attacker’s failures from other addresses neither lock nor rate-limit the owner signing in from an address used before', async () => {
    const user = await registerUser();
    const home = '198.51.100.20';
    const t0 = new Date(Date.now() + 2 * 3_600_000);
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: home, now: t0 })).status).toBe(200);
    // 15 wrong passwords from 3 addresses in a minute: the account-wide rate limit for unknown sources answers 429 after 10.
    const statuses: number[] = [];
    for (let source = 0; source < 3; source++) {
      for (let i = 0; i < 5; i++) {
        const res = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip: `203.0.113.${source + 1}`, now: t0 });
        statuses.push(res.status);
      }
    }
    // (The owner's first sign-in from home, then an unknown source, used one of the 10.)
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses).toContain(429);
    // The owner, from home: neither blocked nor rate-limited.
    for (let i = 0; i < 3; i++) {
      const res = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: home, now: t0 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });

  it('locks the account for addresses that never signed in once failures pass 4 x the limit, never for known ones', async () => {
    const user = await registerUser();
    const home = '198.51.100.21';
    const t0 = new Date(Date.now() + 4 * 3_600_000);
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: home, now: t0 })).status).toBe(200);
    // 19 earlier failures (the rate limits let through 10 a minute: reaching 20 would take two real minutes),
    // then the 20th through the API.
    await sql('update users set failed_login_attempts = 19, last_failed_login_at = $2 where id = $1', [user.id, t0.toISOString()]);
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip: '203.0.113.9', now: t0 }), 401, 'INVALID_CREDENTIALS');
    const [account] = await sql<{ locked_until: string | null }>('select locked_until from users where id = $1', [user.id]);
    expect(new Date(account!.locked_until!).getTime()).toBe(t0.getTime() + 60_000);
    // A new address, even with the right password, waits for the lock; IPv6 counts per /64.
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: '192.0.2.44', now: t0 }), 401, 'INVALID_CREDENTIALS');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: '2001:db8:1:2::5', now: t0 }), 401, 'INVALID_CREDENTIALS');
    // The owner's address works, and the lock expires for everyone.
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: home, now: t0 })).status).toBe(200);
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, ip: '192.0.2.44', now: new Date(t0.getTime() + 61_000) })).status).toBe(200);
  });

  it('merges failed-login security events per account and source within 15 minutes', async () => {
    const user = await registerUser();
    const ip = '203.0.113.150';
    const t0 = new Date(Date.now() + 3 * 3_600_000);
    for (let i = 0; i < 4; i++) await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip, now: new Date(t0.getTime() + i * 1000) });
    await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip: '203.0.113.151', now: t0 });
    await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip, now: new Date(t0.getTime() + 16 * 60_000) });
    const events = await sql<{ ip_address: string; count: string }>(
      "select ip_address, event_data->>'count' as count from session_security_events where user_id = $1 and event_type = 'failed_login' order by created_at, ip_address",
      [user.id],
    );
    expect(events).toEqual([
      { ip_address: ip, count: '4' },
      { ip_address: '203.0.113.151', count: '1' },
      { ip_address: ip, count: '1' },
    ]);
  });

  it('flags a burst of failed logins followed by a success', async () => {
    const user = await registerUser();
    for (let i = 0; i < 3; i++) await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } });
    const session = await loginAs(user.email, user.password);
    const [row] = await sql<{ is_suspicious: boolean; security_flags: string }>('select is_suspicious, security_flags from user_sessions where id = $1', [session.sessionId]);
    expect(String(row!.is_suspicious)).toBe('t');
    expect(JSON.parse(row!.security_flags)).toContain('failed_login_burst');
  });

  it('limits attempts per account and source (429 with Retry-After), whatever the window boundaries', async () => {
    const email = `limited-${crypto.randomUUID()}@example.test`;
    const ip = '198.51.100.90';
    const statuses: number[] = [];
    let limited;
    // The limit is 10 a minute in fixed windows: 21 attempts span at most two windows, so at least one is refused.
    for (let i = 0; i < 21; i++) {
      const res = await api('/api/auth/login', { method: 'POST', body: { email, password: 'wrong-password' }, ip });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(limited).toBeDefined();
    expectError(limited!, 429, 'RATE_LIMIT_EXCEEDED');
    expect(limited!.headers.get('retry-after')).toBe('60');
  });

  it('limits requests per client IP, whatever the window boundaries', async () => {
    const ip = '198.51.100.77';
    let limited;
    // 30 a minute in fixed windows: 61 requests span at most two windows.
    for (let i = 0; i < 61 && !limited; i++) {
      const res = await api('/api/auth/verify-token', { method: 'POST', body: { token: 'x' }, ip });
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expectError(limited!, 429, 'RATE_LIMIT_EXCEEDED');
    expect((await api('/api/auth/verify-token', { method: 'POST', body: { token: 'x' }, ip: '198.51.100.78' })).status).toBe(200);
  });
});
