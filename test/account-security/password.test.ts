import { describe, expect, it } from 'vitest';
import { api, CHROME_UA, dbStats, expectError, loginAs, newPassword, randomIdentity, registerUser, sql, warmSettingsCache } from '../harness';
import { seconds, sha256, tokenFrom, sentEmail } from './helpers';

const forgot = (email: string, init: Record<string, unknown> = {}) => api('/api/auth/forgot-password', { method: 'POST', body: { email }, ...init });
const reset = (token: string, password: string, now?: Date) =>
  api('/api/auth/reset-password', { method: 'POST', body: { token, newPassword: password }, ...(now ? { now } : {}) });
const resetToken = async (email: string, count = 1) => tokenFrom(await sentEmail(email, 'password_reset', count), '/auth/reset-password');

describe('POST /api/auth/forgot-password', () => {
  it('answers the same for known and unknown addresses, after the same round trips, and emails only the account', async () => {
    const user = await registerUser();
    await warmSettingsCache();
    const known = await forgot(user.email, { ip: '198.51.100.23', headers: { 'User-Agent': CHROME_UA } });
    const unknownEmail = randomIdentity().email;
    const unknown = await forgot(unknownEmail);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual(known.body.data);
    expect((await dbStats(known.requestId)).roundTrips).toBe(2);
    expect((await dbStats(unknown.requestId)).roundTrips).toBe(2);

    const message = await sentEmail(user.email, 'password_reset');
    expect(message.subject).toBe('Reset your AegisX password');
    expect(message.text).toContain('expires in 60 minutes');
    const token = tokenFrom(message, '/auth/reset-password');
    const [row] = await sql<Record<string, string>>('select * from password_reset_tokens where user_id = $1', [user.id]);
    expect(row).toMatchObject({ token: await sha256(token), used: 'f', ip_address: '198.51.100.23', user_agent: CHROME_UA });
    await new Promise((r) => setTimeout(r, 100));
    expect((await api(`/api/dev/outbox?to=${encodeURIComponent(unknownEmail)}`)).body.data).toEqual([]);
    expect(await sql("select 1 from session_security_events where event_type = 'password_reset_ignored' and event_data->>'email' = $1", [unknownEmail])).toHaveLength(1);
  });

  it('invalidates the older link when a new one is requested', async () => {
    const user = await registerUser();
    expect((await forgot(user.email)).status).toBe(200);
    const first = await resetToken(user.email);
    expect((await forgot(user.email)).status).toBe(200);
    const second = await resetToken(user.email, 2);
    expect(second).not.toBe(first);
    expectError(await reset(first, newPassword()), 400, 'INVALID_TOKEN');
    expect((await reset(second, newPassword())).status).toBe(200);
  });

  it('limits requests per address', async () => {
    const email = randomIdentity().email;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await forgot(email)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('POST /api/auth/reset-password', () => {
  it('sets the password, revokes every session, writes a security event, emails a notice, and works once', async () => {
    const user = await registerUser();
    const a = await loginAs(user.email, user.password);
    const b = await loginAs(user.email, user.password);
    expect((await forgot(user.email)).status).toBe(200);
    const token = await resetToken(user.email);
    const password = newPassword();

    await warmSettingsCache();
    const res = await reset(token, password);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.revokedSessions).toBe(2);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 6 });

    for (const s of [a, b]) {
      expectError(await api('/api/auth/me', { token: s.accessToken }), 401, 'UNAUTHORIZED');
      expect((await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: s.refreshToken } })).status).toBe(401);
    }
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 401, 'INVALID_CREDENTIALS');
    expect((await loginAs(user.email, password)).user.id).toBe(user.id);
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'password_reset'", [user.id])).toHaveLength(1);
    expect(await sql("select 1 from audit_logs where user_id = $1 and description like 'Reset the password%'", [user.id])).toHaveLength(1);
    const notice = await sentEmail(user.email, 'password_changed');
    expect(notice.subject).toBe('Your AegisX password was changed');
    expect(notice.links).toContain('https://app.aegisx.test/settings/security');

    const reused = await reset(token, newPassword());
    expectError(reused, 400, 'INVALID_TOKEN');
    expect(reused.body.error.details).toEqual({ reason: 'used' });
  });

  it('lets one of two concurrent uses of a link through', async () => {
    const user = await registerUser();
    expect((await forgot(user.email)).status).toBe(200);
    const token = await resetToken(user.email);
    const [p1, p2] = [newPassword(), newPassword()];
    const results = await Promise.all([reset(token, p1), reset(token, p2)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const winner = results[0]!.status === 200 ? p1 : p2;
    expect((await loginAs(user.email, winner)).user.id).toBe(user.id);
    expect(await sql("select 1 from audit_logs where user_id = $1 and description like 'Reset the password%'", [user.id])).toHaveLength(1);
  });

  it('expires a link after an hour', async () => {
    const user = await registerUser();
    expect((await forgot(user.email)).status).toBe(200);
    const token = await resetToken(user.email);
    expectError(await reset(token, newPassword(), seconds(new Date(), 3605)), 400, 'LINK_EXPIRED');
    expect((await reset(token, newPassword(), seconds(new Date(), 3500))).status).toBe(200);
  });

  it('applies the registration password policy and refuses unknown tokens', async () => {
    const user = await registerUser();
    expect((await forgot(user.email)).status).toBe(200);
    const token = await resetToken(user.email);
    expectError(await reset(token, 'password123'), 400, 'VALIDATION_ERROR');
    expectError(await reset(token, 'short'), 400, 'VALIDATION_ERROR');
    expectError(await reset('not-a-real-token-at-all', newPassword()), 400, 'INVALID_TOKEN');
    expect((await reset(token, newPassword())).status).toBe(200);
  });

  it('clears a lockout', async () => {
    const user = await registerUser();
    for (let i = 0; i < 5; i++) await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } });
    expect((await sql<{ locked_until: string | null }>('select locked_until from users where id = $1', [user.id]))[0]!.locked_until).not.toBeNull();
    expect((await forgot(user.email)).status).toBe(200);
    const password = newPassword();
    expect((await reset(await resetToken(user.email), password)).status).toBe(200);
    expect((await loginAs(user.email, password)).user.id).toBe(user.id);
  });
});

describe('POST /api/auth/change-password', () => {
  it('refuses a wrong current password, counting it towards the lockout', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const res = await api('/api/auth/change-password', { method: 'POST', token: session.accessToken, body: { currentPassword: 'not-my-password', newPassword: newPassword() } });
    expectError(res, 400, 'INVALID_PASSWORD');
    const [u] = await sql<{ failed_login_attempts: number }>('select failed_login_attempts from users where id = $1', [user.id]);
    expect(Number(u!.failed_login_attempts)).toBe(1);
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'failed_password_confirmation'", [user.id])).toHaveLength(1);
    expect((await loginAs(user.email, user.password)).user.id).toBe(user.id);
  });

  it('changes the password, keeps this session, revokes the others and emails a notice, in 2 round trips', async () => {
    const user = await registerUser();
    const current = await loginAs(user.email, user.password);
    const other = await loginAs(user.email, user.password);
    const password = newPassword();
    await warmSettingsCache();
    const res = await api('/api/auth/change-password', { method: 'POST', token: current.accessToken, body: { currentPassword: user.password, newPassword: password } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.revokedSessions).toBe(1);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 5 });
    expect((await api('/api/auth/me', { token: current.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: other.accessToken }), 401, 'UNAUTHORIZED');
    expect((await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: current.refreshToken } })).status).toBe(200);
    expect((await loginAs(user.email, password)).user.id).toBe(user.id);
    expect((await sentEmail(user.email, 'password_changed')).text).toContain('every other device was signed out');
  });

  it('validates the new password and answers 401 without a token', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const change = (body: unknown) => api('/api/auth/change-password', { method: 'POST', token: session.accessToken, body });
    expectError(await change({ currentPassword: user.password, newPassword: user.password }), 400, 'VALIDATION_ERROR');
    expectError(await change({ currentPassword: user.password, newPassword: 'password123' }), 400, 'VALIDATION_ERROR');
    expectError(await change({ currentPassword: user.password }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/auth/change-password', { method: 'POST', body: { currentPassword: 'x', newPassword: newPassword() } }), 401, 'UNAUTHORIZED');
  });
});
