import { URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { api, createApiKey, dbStats, expectError, loginAs, registerUser, sql, warmSettingsCache } from '../harness';
import { challengeFor, seconds, stepAligned, totpAt, userWithTwoFactor, verifyTwoFactor, sentEmail } from './helpers';

describe('two-factor enrolment', () => {
  it('needs a fresh proof, then returns a secret and an otpauth:// URI, and stores the secret encrypted', async () => {
    const user = await registerUser();
    const t0 = new Date();
    const session = await loginAs(user.email, user.password, { now: t0 });
    const token = session.accessToken;
    expectError(await api('/api/auth/2fa/setup', { method: 'POST', token, now: seconds(t0, 301) }), 403, 'REAUTHENTICATION_REQUIRED');
    expect((await api('/api/auth/reauthenticate', { method: 'POST', token, body: { password: user.password }, now: seconds(t0, 302) })).status).toBe(200);

    await warmSettingsCache();
    const res = await api('/api/auth/2fa/setup', { method: 'POST', token, now: seconds(t0, 303) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 3 });
    const { secret, otpauthUri } = res.body.data;
    expect(res.body.data).toMatchObject({ issuer: 'AegisX Platform', accountName: user.email, algorithm: 'SHA1', digits: 6, period: 30 });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const parsed = URI.parse(otpauthUri);
    expect(parsed.secret.base32).toBe(secret);
    expect(parsed).toMatchObject({ issuer: 'AegisX Platform', label: user.email, digits: 6, algorithm: 'SHA1' });
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);

    const [row] = await sql<Record<string, string | null>>('select two_factor_enabled, two_factor_secret from users where id = $1', [user.id]);
    expect(row!.two_factor_enabled).toBe('f');
    expect(row!.two_factor_secret).toMatch(/^v1\./);
    expect(row!.two_factor_secret).not.toContain(secret);
    const status = await api('/api/auth/2fa', { token, now: seconds(t0, 304) });
    expect(status.body.data).toEqual({ enabled: false, setupPending: true, backupCodesRemaining: 0, required: false });
    expect(status.headers.get('cache-control')).toBe('private, no-cache');
    const confirmed = await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: totpAt(secret, seconds(t0, 305)) }, now: seconds(t0, 305) });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    const codes = await api('/api/auth/2fa/backup-codes', { method: 'POST', token, now: seconds(t0, 306) });
    expect(codes.status, JSON.stringify(codes.body)).toBe(200);
    expect(codes.headers.get('cache-control')).toBe('no-store');
  });

  it('switches two-factor on only with a valid code, returning ten backup codes stored hashed', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const token = session.accessToken;
    expectError(await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: '123456' } }), 409, 'TWO_FACTOR_SETUP_NOT_STARTED');
    const setup = await api('/api/auth/2fa/setup', { method: 'POST', token });
    const now = new Date();
    const wrong = totpAt(setup.body.data.secret, seconds(now, -300));
    expectError(await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: wrong }, now }), 400, 'INVALID_TWO_FACTOR_CODE');
    expectError(await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: '12345' }, now }), 400, 'VALIDATION_ERROR');

    await warmSettingsCache();
    const res = await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: totpAt(setup.body.data.secret, now) }, now });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 4 });
    const { backupCodes } = res.body.data;
    expect(res.body.data.enabled).toBe(true);
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);

    const [row] = await sql<{ two_factor_enabled: string; two_factor_backup_codes: string }>('select two_factor_enabled, two_factor_backup_codes from users where id = $1', [user.id]);
    expect(row!.two_factor_enabled).toBe('t');
    const stored: string[] = JSON.parse(row!.two_factor_backup_codes);
    expect(stored).toHaveLength(10);
    for (const code of backupCodes) {
      expect(row!.two_factor_backup_codes).not.toContain(code);
      expect(row!.two_factor_backup_codes).not.toContain(code.replace('-', ''));
    }
    const status = await api('/api/auth/2fa', { token });
    expect(status.body.data).toMatchObject({ enabled: true, setupPending: false, backupCodesRemaining: 10 });
    expect(await dbStats(status.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect((await sentEmail(user.email, 'two_factor_enabled')).subject).toBe('AegisX: Two-factor authentication is on');
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'two_factor_enabled'", [user.id])).toHaveLength(1);
    expectError(await api('/api/auth/2fa/setup', { method: 'POST', token }), 409, 'TWO_FACTOR_ALREADY_ENABLED');
    expectError(await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: '123456' } }), 409, 'TWO_FACTOR_ALREADY_ENABLED');
  });
});

describe('login with two-factor', () => {
  it('returns a challenge, then tokens for a valid TOTP code, in 2 round trips; a code is never accepted twice', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 90), 10);
    const challenge = await challengeFor(tf.user, t);

    await warmSettingsCache();
    const res = await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, t) }, t);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ twoFactorRequired: false, tokenType: 'Bearer', method: 'totp', user: { id: tf.user.id, twoFactorEnabled: true } });
    expect(res.body.data).not.toHaveProperty('backupCodes');
    expect(res.headers.get('set-cookie')).toMatch(/aegisx_refresh=.*HttpOnly/i);
    // The challenge read with the account; then one batch: spend the challenge, claim the code's time step, session, sign-in, activity, audit.
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 8 });
    expect((await api('/api/auth/me', { token: res.body.data.accessToken, now: t })).body.data.session.id).toBe(res.body.data.sessionId);

    const replayAt = seconds(t, 5);
    const replayChallenge = await challengeFor(tf.user, replayAt);
    expectError(await verifyTwoFactor({ challengeToken: replayChallenge, code: totpAt(tf.secret, t) }, replayAt), 400, 'INVALID_TWO_FACTOR_CODE');
    expectError(await verifyTwoFactor({ challengeToken: replayChallenge, code: totpAt(tf.secret, seconds(t, -30)) }, replayAt), 400, 'INVALID_TWO_FACTOR_CODE');
    const next = seconds(t, 30);
    expect((await verifyTwoFactor({ challengeToken: replayChallenge, code: totpAt(tf.secret, next) }, next)).status).toBe(200);
  });

  it('spends a challenge on the sign-in it completes: it and every earlier challenge are refused afterwards, without counting as wrong codes', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 90), 10);
    const challenge = await challengeFor(tf.user, t);
    const earlier = await challengeFor(tf.user, t);
    expect((await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, t) }, t)).status).toBe(200);

    const next = seconds(t, 30);
    expectError(await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, next) }, next), 401, 'INVALID_CHALLENGE');
    expectError(await verifyTwoFactor({ challengeToken: earlier, backupCode: tf.backupCodes[0] }, next), 401, 'INVALID_CHALLENGE');
    const [row] = await sql<{ failed_login_attempts: number }>('select failed_login_attempts from users where id = $1', [tf.user.id]);
    expect(Number(row!.failed_login_attempts)).toBe(0);
    expect(await sql('select 1 from user_sessions where user_id = $1 and created_at >= $2', [tf.user.id, t.toISOString()])).toHaveLength(1);
    // A new challenge (issued after that sign-in) works.
    expect((await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, next), code: totpAt(tf.secret, next) }, next)).status).toBe(200);
  });

  it('signs in once when one challenge is sent twice at the same moment with two valid proofs', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 90), 7);
    const challenge = await challengeFor(tf.user, t);
    const results = await Promise.all([
      verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, t) }, t),
      verifyTwoFactor({ challengeToken: challenge, backupCode: tf.backupCodes[0] }, t),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(['INVALID_CHALLENGE', 'INVALID_TWO_FACTOR_CODE']).toContain(r.body.error.code);
    expect(await sql('select 1 from user_sessions where user_id = $1 and created_at = $2', [tf.user.id, t.toISOString()])).toHaveLength(1);
  });

  it('signs in once when the same code is sent twice at the same moment', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 90), 7);
    const [c1, c2] = [await challengeFor(tf.user, t), await challengeFor(tf.user, t)];
    const code = totpAt(tf.secret, t);
    const results = await Promise.all([verifyTwoFactor({ challengeToken: c1, code }, t), verifyTwoFactor({ challengeToken: c2, code }, t)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The other lost the code's time step (400), or found its challenge spent by that sign-in (401).
    const [loser] = results.filter((r) => r.status !== 200);
    expect([400, 401]).toContain(loser!.status);
    expect(['INVALID_TWO_FACTOR_CODE', 'INVALID_CHALLENGE']).toContain(loser!.body.error.code);
    expect(await sql('select 1 from user_sessions where user_id = $1 and created_at = $2', [tf.user.id, t.toISOString()])).toHaveLength(1);
  });

  it('accepts each backup code once (case and dashes ignored)', async () => {
    const tf = await userWithTwoFactor();
    const [first, second] = tf.backupCodes as [string, string];
    const t = seconds(new Date(), 5);
    const challenge = await challengeFor(tf.user, t);
    const res = await verifyTwoFactor({ challengeToken: challenge, backupCode: first }, t);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ method: 'backup_code', backupCodesRemaining: 9 });
    expectError(await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, t), backupCode: first }, t), 400, 'INVALID_TWO_FACTOR_CODE');
    const relaxed = second.toLowerCase().replace('-', ' ');
    expect((await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, t), backupCode: relaxed }, t)).body.data.backupCodesRemaining).toBe(8);
    expect((await api('/api/auth/2fa', { token: res.body.data.accessToken, now: t })).body.data.backupCodesRemaining).toBe(8);
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'two_factor_backup_code_used'", [tf.user.id])).toHaveLength(2);
  });

  it('refuses invalid and expired challenges and malformed input', async () => {
    const tf = await userWithTwoFactor();
    const t = seconds(new Date(), 5);
    const challenge = await challengeFor(tf.user, t);
    expectError(await verifyTwoFactor({ challengeToken: 'not-a-jwt', code: '123456' }, t), 401, 'INVALID_CHALLENGE');
    expectError(await verifyTwoFactor({ challengeToken: tf.accessToken, code: '123456' }, t), 401, 'INVALID_CHALLENGE');
    const late = seconds(t, 301);
    expectError(await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, late) }, late), 401, 'INVALID_CHALLENGE');
    expectError(await verifyTwoFactor({ challengeToken: challenge, code: '123456', backupCode: tf.backupCodes[0] }, t), 400, 'VALIDATION_ERROR');
    expectError(await verifyTwoFactor({ challengeToken: challenge }, t), 400, 'VALIDATION_ERROR');
    expectError(await verifyTwoFactor({ challengeToken: challenge, code: 'abcdef' }, t), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/auth/2fa/login-setup', { method: 'POST', body: { challengeToken: challenge } }), 401, 'INVALID_CHALLENGE');
  });

  it('counts wrong codes towards login throttling: the guessing source is blocked, even for a valid code, until the block expires', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 90), 5);
    const ip = '203.0.113.201';
    const challenge = await challengeFor(tf.user, t);
    const wrong = totpAt(tf.secret, seconds(t, -600));
    for (let i = 0; i < 5; i++) expectError(await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: challenge, code: wrong }, now: t, ip }), 400, 'INVALID_TWO_FACTOR_CODE');
    const [row] = await sql<{ failed_attempts: number; blocked_until: string | null }>('select failed_attempts, blocked_until from login_throttles where user_id = $1 and source = $2', [tf.user.id, ip]);
    expect(Number(row!.failed_attempts)).toBe(5);
    expect(row!.blocked_until).not.toBeNull();
    expectError(await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: challenge, code: totpAt(tf.secret, t) }, now: t, ip }), 400, 'INVALID_TWO_FACTOR_CODE');
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'failed_two_factor'", [tf.user.id])).toHaveLength(5);
    // Another address is not blocked (the account-wide limit is 4 x 5 failures).
    const elsewhere = await challengeFor(tf.user, t);
    expect((await verifyTwoFactor({ challengeToken: elsewhere, code: totpAt(tf.secret, t) }, t)).status).toBe(200);
    const unlocked = seconds(t, 90);
    const fresh = await challengeFor(tf.user, unlocked);
    expect((await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: fresh, code: totpAt(tf.secret, unlocked) }, now: unlocked, ip })).status).toBe(200);
  });

  it('disables two-factor with the password (a wrong one is refused and counted)', async () => {
    const tf = await userWithTwoFactor();
    const token = tf.accessToken;
    expectError(await api('/api/auth/2fa/disable', { method: 'POST', token, body: { password: 'wrong-password' } }), 400, 'INVALID_PASSWORD');
    expectError(await api('/api/auth/2fa/disable', { method: 'POST', token, body: {} }), 400, 'VALIDATION_ERROR');
    await warmSettingsCache();
    const res = await api('/api/auth/2fa/disable', { method: 'POST', token, body: { password: tf.user.password } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ enabled: false });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 4 });
    const [row] = await sql<Record<string, string | null>>('select two_factor_enabled, two_factor_secret, two_factor_backup_codes, failed_login_attempts from users where id = $1', [tf.user.id]);
    expect(row).toMatchObject({ two_factor_enabled: 'f', two_factor_secret: null, two_factor_backup_codes: null });
    expect((await api('/api/auth/login', { method: 'POST', body: { email: tf.user.email, password: tf.user.password } })).body.data.twoFactorRequired).toBe(false);
    expect((await sentEmail(tf.user.email, 'two_factor_disabled')).subject).toBe('AegisX: Two-factor authentication is off');
    expectError(await api('/api/auth/2fa/disable', { method: 'POST', token, body: { password: tf.user.password } }), 409, 'TWO_FACTOR_NOT_ENABLED');
  });

  it('disables two-factor with a current code, which cannot be replayed', async () => {
    const tf = await userWithTwoFactor();
    const t = stepAligned(seconds(tf.confirmedAt, 60), 3);
    const reused = totpAt(tf.secret, tf.confirmedAt);
    expectError(await api('/api/auth/2fa/disable', { method: 'POST', token: tf.accessToken, body: { code: reused }, now: tf.confirmedAt }), 400, 'INVALID_TWO_FACTOR_CODE');
    const res = await api('/api/auth/2fa/disable', { method: 'POST', token: tf.accessToken, body: { code: totpAt(tf.secret, t) }, now: t });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await api('/api/auth/2fa', { token: tf.accessToken, now: t })).body.data.enabled).toBe(false);
  });

  it('regenerates the backup codes after a fresh proof; the old ones stop working', async () => {
    const tf = await userWithTwoFactor();
    const t0 = stepAligned(seconds(tf.confirmedAt, 60), 2);
    const challenge = await challengeFor(tf.user, t0);
    const signedIn = await verifyTwoFactor({ challengeToken: challenge, code: totpAt(tf.secret, t0) }, t0);
    const token = signedIn.body.data.accessToken;

    const later = seconds(t0, 301);
    expectError(await api('/api/auth/2fa/backup-codes', { method: 'POST', token, now: later }), 403, 'REAUTHENTICATION_REQUIRED');
    const reauthAt = seconds(t0, 330);
    expectError(await api('/api/auth/reauthenticate', { method: 'POST', token, body: { code: totpAt(tf.secret, t0) }, now: reauthAt }), 400, 'INVALID_TWO_FACTOR_CODE');
    const reauth = await api('/api/auth/reauthenticate', { method: 'POST', token, body: { code: totpAt(tf.secret, reauthAt) }, now: reauthAt });
    expect(reauth.status, JSON.stringify(reauth.body)).toBe(200);
    expect(reauth.body.data).toEqual({ method: 'totp', reauthenticatedAt: reauthAt.toISOString(), validUntil: seconds(reauthAt, 300).toISOString() });

    await warmSettingsCache();
    const res = await api('/api/auth/2fa/backup-codes', { method: 'POST', token, now: seconds(reauthAt, 1) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 4 });
    const fresh: string[] = res.body.data.backupCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => tf.backupCodes.includes(c))).toBe(false);
    const at = seconds(reauthAt, 2);
    expectError(await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, at), backupCode: tf.backupCodes[0] }, at), 400, 'INVALID_TWO_FACTOR_CODE');
    expect((await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, at), backupCode: fresh[0] }, at)).status).toBe(200);
    expect(await sentEmail(tf.user.email, 'two_factor_backup_codes')).toBeTruthy();
  });
});

describe('POST /api/auth/reauthenticate', () => {
  it('accepts the password, refuses a wrong one (counted) and a code without two-factor, in 2 round trips', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const token = session.accessToken;
    expectError(await api('/api/auth/reauthenticate', { method: 'POST', token, body: { password: 'wrong-password' } }), 400, 'INVALID_PASSWORD');
    expectError(await api('/api/auth/reauthenticate', { method: 'POST', token, body: { code: '123456' } }), 409, 'TWO_FACTOR_NOT_ENABLED');
    expectError(await api('/api/auth/reauthenticate', { method: 'POST', token, body: { password: user.password, code: '123456' } }), 400, 'VALIDATION_ERROR');
    await warmSettingsCache();
    const res = await api('/api/auth/reauthenticate', { method: 'POST', token, body: { password: user.password } });
    expect(res.status).toBe(200);
    expect(res.body.data.method).toBe('password');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 5 });
    const [s] = await sql<{ reauthenticated_at: string | null }>('select reauthenticated_at from user_sessions where id = $1', [session.sessionId]);
    expect(s!.reauthenticated_at).not.toBeNull();
    const [u] = await sql<{ failed_login_attempts: number }>('select failed_login_attempts from users where id = $1', [user.id]);
    expect(Number(u!.failed_login_attempts)).toBe(0);
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'failed_password_confirmation'", [user.id])).toHaveLength(1);
  });

  it('answers 401 without a token on every signed-in account-security route', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/auth/reauthenticate'],
      ['POST', '/api/auth/change-password'],
      ['PUT', '/api/auth/email'],
      ['GET', '/api/auth/2fa'],
      ['POST', '/api/auth/2fa/setup'],
      ['POST', '/api/auth/2fa/confirm'],
      ['POST', '/api/auth/2fa/disable'],
      ['POST', '/api/auth/2fa/backup-codes'],
    ];
    for (const [method, path] of routes) {
      expectError(await api(path, { method, ...(method === 'GET' ? {} : { body: {} }) }), 401, 'UNAUTHORIZED');
    }
  });

  it('answers 403 to an API key: only a signed-in user changes account security', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const created = await createApiKey(session.accessToken, ['profile:read'], 'robot');
    const headers = { 'X-API-Key': created.key };
    expectError(await api('/api/auth/2fa', { headers }), 403, 'API_KEY_NOT_ALLOWED');
    expectError(await api('/api/auth/change-password', { method: 'POST', headers, body: { currentPassword: user.password, newPassword: `pw-${crypto.randomUUID()}` } }), 403, 'API_KEY_NOT_ALLOWED');
    expectError(await api('/api/auth/reauthenticate', { method: 'POST', headers, body: { password: user.password } }), 403, 'API_KEY_NOT_ALLOWED');
  });
});
