import { describe, expect, it } from 'vitest';
import { api, CHROME_UA, createApiKey, dbStats, expectError, loginAs, newPassword, randomIdentity, registerUser, sql, verifyOwnEmail, warmSettingsCache } from '../harness';
import { challengeFor, outbox, seconds, sha256, stepAligned, tokenFrom, sentEmail, totpAt, userWithTwoFactor, verifyTwoFactor } from './helpers';

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
    expect(await outbox(unknownEmail)).toEqual([]);
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

  it('sends at most 3 reset emails per address an hour, with the same answer after', async () => {
    const user = await registerUser();
    const t0 = new Date();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await forgot(user.email, { now: seconds(t0, i * 60) }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
    expect(await outbox(user.email, 'password_reset')).toHaveLength(3);
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'password_reset_capped'", [user.id])).toHaveLength(1);
    expect((await forgot(user.email, { now: seconds(t0, 3660) })).status).toBe(200);
    expect(await outbox(user.email, 'password_reset')).toHaveLength(4);
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
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 9 });

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

  it('clears login throttling', async () => {
    const user = await registerUser();
    const ip = '203.0.113.77';
    for (let i = 0; i < 5; i++) await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' }, ip });
    const [blocked] = await sql<{ blocked_until: string | null }>('select blocked_until from login_throttles where user_id = $1 and source = $2', [user.id, ip]);
    expect(blocked!.blocked_until).not.toBeNull();
    expect((await forgot(user.email)).status).toBe(200);
    const password = newPassword();
    expect((await reset(await resetToken(user.email), password)).status).toBe(200);
    expect(await sql('select 1 from login_throttles where user_id = $1 and blocked_until is not null', [user.id])).toHaveLength(0);
    expect((await loginAs(user.email, password, { ip })).user.id).toBe(user.id);
  });

  it('revokes every API key, spends pending two-factor challenges and every other link, and says so in the email', async () => {
    const tf = await userWithTwoFactor();
    await verifyOwnEmail(tf.accessToken);
    const key = await createApiKey(tf.accessToken, ['profile:read']);
    expect((await api('/api/users/profile', { headers: { 'X-API-Key': key.key } })).status).toBe(200);
    const t0 = stepAligned(new Date(Date.now() + 60_000), 1);
    const challenge = await challengeFor(tf.user, t0);
    expect((await api('/api/auth/resend-verification', { method: 'POST', body: { email: tf.user.email } })).status).toBe(200);
    expect((await forgot(tf.user.email)).status).toBe(200);
    expect((await forgot(tf.user.email)).status).toBe(200);
    const [older, newest] = [tokenFrom((await outbox(tf.user.email, 'password_reset'))[1]!, '/auth/reset-password'), await resetToken(tf.user.email, 2)];
    expectError(await reset(older, newPassword()), 400, 'INVALID_TOKEN');

    const res = await reset(newest, newPassword(), seconds(t0, 2));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.revokedApiKeys).toBe(1);
    expectError(await api('/api/users/profile', { headers: { 'X-API-Key': key.key } }), 401, 'UNAUTHORIZED');
    expect((await sql<{ is_active: string }>('select is_active from api_keys where id = $1', [key.id]))[0]!.is_active).toBe('f');
    expectError(await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, seconds(t0, 3)) }, seconds(t0, 3)), 401, 'INVALID_CHALLENGE');
    expect(await sql('select 1 from password_reset_tokens where user_id = $1 and used is not true', [tf.user.id])).toHaveLength(0);
    expect(await sql('select 1 from email_verification_tokens where user_id = $1 and used is not true', [tf.user.id])).toHaveLength(0);
    const notice = await sentEmail(tf.user.email, 'password_changed');
    expect(notice.text).toContain('every device was signed out');
    expect(notice.text).toContain('Your 1 API key was revoked');
  });
});

describe('POST /api/auth/verify-reset-token', () => {
  const check = (token: string, now?: Date) => api('/api/auth/verify-reset-token', { method: 'POST', body: { token }, ...(now ? { now } : {}) });

  it('says whether a link can be used, without using it or naming the account', async () => {
    const user = await registerUser();
    expect((await forgot(user.email)).status).toBe(200);
    const token = await resetToken(user.email);
    const first = await check(token);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data).toEqual({ valid: true, expiresAt: expect.any(String) });
    expect(JSON.stringify(first.body)).not.toContain(user.email);
    expect((await check(token)).status).toBe(200);
    expectError(await check(token, seconds(new Date(), 3605)), 400, 'LINK_EXPIRED');
    expect((await reset(token, newPassword())).status).toBe(200);
    const used = await check(token);
    expectError(used, 400, 'INVALID_TOKEN');
    expect(used.body.error.details).toEqual({ reason: 'used' });
    expectError(await check('not-a-real-token-at-all'), 400, 'INVALID_TOKEN');
    expectError(await api('/api/auth/verify-reset-token', { method: 'POST', body: {} }), 400, 'VALIDATION_ERROR');
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
    expect(res.body.data).toMatchObject({ revokedSessions: 1, revokedApiKeys: 0 });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 8 });
    expect((await api('/api/auth/me', { token: current.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: other.accessToken }), 401, 'UNAUTHORIZED');
    expect((await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: current.refreshToken } })).status).toBe(200);
    expect((await loginAs(user.email, password)).user.id).toBe(user.id);
    expect((await sentEmail(user.email, 'password_changed')).text).toContain('every other device was signed out');
  });

  it('spends outstanding reset links and two-factor challenges; keeps other sessions or revokes API keys on request', async () => {
    const tf = await userWithTwoFactor();
    await verifyOwnEmail(tf.accessToken);
    const key = await createApiKey(tf.accessToken, ['profile:read']);
    const t0 = stepAligned(new Date(Date.now() + 60_000), 1);
    const other = await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, t0), code: totpAt(tf.secret, t0) }, t0);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const pending = await challengeFor(tf.user, seconds(t0, 31));
    expect((await forgot(tf.user.email)).status).toBe(200);
    const link = await resetToken(tf.user.email);

    const res = await api('/api/auth/change-password', {
      method: 'POST',
      token: tf.accessToken,
      body: { currentPassword: tf.user.password, newPassword: newPassword(), revokeOtherSessions: false, revokeApiKeys: true },
      now: seconds(t0, 32),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ revokedSessions: 0, revokedApiKeys: 1 });
    expect((await api('/api/auth/me', { token: other.body.data.accessToken })).status).toBe(200);
    expectError(await api('/api/users/profile', { headers: { 'X-API-Key': key.key } }), 401, 'UNAUTHORIZED');
    expectError(await reset(link, newPassword()), 400, 'INVALID_TOKEN');
    expectError(await verifyTwoFactor({ challengeToken: pending, code: totpAt(tf.secret, seconds(t0, 62)) }, seconds(t0, 62)), 401, 'INVALID_CHALLENGE');
    const notice = await sentEmail(tf.user.email, 'password_changed');
    expect(notice.text).not.toContain('every other device was signed out');
    expect(notice.text).toContain('Your 1 API key was revoked');
  });

  it('refuses a new password containing the username, the email’s local part or a name', async () => {
    const user = await registerUser({ username: `quill_${crypto.randomUUID().slice(0, 6)}` });
    const session = await loginAs(user.email, user.password);
    const change = (password: string) => api('/api/auth/change-password', { method: 'POST', token: session.accessToken, body: { currentPassword: user.password, newPassword: password } });
    for (const password of [`X-${user.username.toUpperCase()}-2026!`, `${user.email.split('@')[0]}-strong-9`, 'Test-User-strong-2026']) {
      const res = await change(password);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.details[0]).toMatchObject({ field: 'body.newPassword' });
    }
    const registered = await api('/api/auth/register', {
      method: 'POST',
      body: { email: `marlow-${crypto.randomUUID().slice(0, 6)}@example.test`, username: `marlow_${crypto.randomUUID().slice(0, 6)}`, password: 'MARLOW-strong-2026', firstName: 'Ann' },
    });
    expectError(registered, 400, 'VALIDATION_ERROR');
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
