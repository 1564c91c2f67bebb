import { describe, expect, it } from 'vitest';
import { api, CHROME_UA, dbStats, env, expectError, IPHONE_UA, loginAs, newPassword, registerUser, sql, warmSettingsCache } from '../harness';

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
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 5 });

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
    const user = await registerUser();
    const wrong = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'not-the-password' } });
    const unknown = await api('/api/auth/login', { method: 'POST', body: { email: `nobody-${crypto.randomUUID()}@example.test`, password: 'whatever-password' } });
    const deleted = await registerUser();
    await sql('update users set deleted_at = now() where id = $1', [deleted.id]);
    const gone = await api('/api/auth/login', { method: 'POST', body: { email: deleted.email, password: deleted.password } });
    for (const res of [wrong, unknown, gone]) {
      expectError(res, 401, 'INVALID_CREDENTIALS');
      expect(res.body.error.message).toBe(wrong.body.error.message);
    }
    expect(await sql("select 1 from session_security_events where event_type = 'failed_login' and user_id = $1", [user.id])).toHaveLength(1);
  });

  it('refuses inactive and suspended accounts once the password is proven, and lets pending ones in', async () => {
    for (const status of ['inactive', 'suspended'] as const) {
      const user = await registerUser();
      await sql('update users set status = $2 where id = $1', [user.id, status]);
      expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } }), 401, 'INVALID_CREDENTIALS');
      expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 403, 'ACCOUNT_DISABLED');
    }
    const pending = await registerUser();
    expect((await api('/api/auth/login', { method: 'POST', body: { email: pending.email, password: pending.password } })).status).toBe(200);
  });

  it('takes an unknown account as long as a known one (dummy hash)', async () => {
    const user = await registerUser();
    await loginAs(user.email, user.password);
    const time = async (email: string) => {
      const started = performance.now();
      await api('/api/auth/login', { method: 'POST', body: { email, password: 'wrong-password-here' } });
      return performance.now() - started;
    };
    await time(`nobody-${crypto.randomUUID()}@example.test`);
    const known = Math.min(await time(user.email), await time(user.email));
    const unknown = Math.min(await time(`nobody-${crypto.randomUUID()}@example.test`), await time(`nobody-${crypto.randomUUID()}@example.test`));
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it('re-hashes a password made with another bcrypt cost at the next login', async () => {
    const res = await api('/api/auth/login', { method: 'POST', body: { email: 'demo@aegisx.local', password: env.TEST_DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    const [demo] = await sql<{ password: string }>("select password from users where email = 'demo@aegisx.local'");
    expect(demo!.password).toMatch(/^\$2[ab]\$10\$/);
  });

  it('locks the account after the configured failures with a growing back-off that expires', async () => {
    const user = await registerUser();
    const t0 = new Date(Date.now() + 3_600_000);
    const attempt = (password: string, at: Date) => api('/api/auth/login', { method: 'POST', body: { email: user.email, password }, now: at });
    for (let i = 0; i < 5; i++) expectError(await attempt('wrong-password', t0), 401, 'INVALID_CREDENTIALS');
    const [locked] = await sql<{ failed_login_attempts: number; locked_until: string }>('select failed_login_attempts, locked_until from users where id = $1', [user.id]);
    expect(Number(locked!.failed_login_attempts)).toBe(5);
    expect(locked!.locked_until).not.toBeNull();
    expectError(await attempt(user.password, new Date(t0.getTime() + 30_000)), 401, 'INVALID_CREDENTIALS');
    const t1 = new Date(t0.getTime() + 61_000);
    expectError(await attempt('wrong-password', t1), 401, 'INVALID_CREDENTIALS');
    expectError(await attempt(user.password, new Date(t1.getTime() + 90_000)), 401, 'INVALID_CREDENTIALS');
    const ok = await attempt(user.password, new Date(t1.getTime() + 121_000));
    expect(ok.status).toBe(200);
    expect(ok.body.data.user.id).toBe(user.id);
    const [after] = await sql<{ failed_login_attempts: number; locked_until: string | null }>('select failed_login_attempts, locked_until from users where id = $1', [user.id]);
    expect(Number(after!.failed_login_attempts)).toBe(0);
    expect(after!.locked_until).toBeNull();
  });

  it('flags a burst of failed logins followed by a success', async () => {
    const user = await registerUser();
    for (let i = 0; i < 3; i++) await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } });
    const session = await loginAs(user.email, user.password);
    const [row] = await sql<{ is_suspicious: boolean; security_flags: string }>('select is_suspicious, security_flags from user_sessions where id = $1', [session.sessionId]);
    expect(String(row!.is_suspicious)).toBe('t');
    expect(JSON.parse(row!.security_flags)).toContain('failed_login_burst');
  });

  it('limits login attempts per account (429 with Retry-After)', async () => {
    const email = `limited-${crypto.randomUUID()}@example.test`;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 12; i++) {
      last = await api('/api/auth/login', { method: 'POST', body: { email, password: 'wrong-password' } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expectError(last!, 429, 'RATE_LIMIT_EXCEEDED');
    expect(last!.headers.get('retry-after')).toBe('60');
  });

  it('limits requests per client IP', async () => {
    const ip = '198.51.100.77';
    let last;
    for (let i = 0; i < 32; i++) last = await api('/api/auth/verify-token', { method: 'POST', body: { token: 'x' }, ip });
    expectError(last!, 429, 'RATE_LIMIT_EXCEEDED');
    expect((await api('/api/auth/verify-token', { method: 'POST', body: { token: 'x' }, ip: '198.51.100.78' })).status).toBe(200);
  });
});
