import { URI } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { stepAligned, seconds, tokenFrom, totpAt, sentEmail } from '../account-security/helpers';
import { api, env, expectError, loginAs, registerUser, sql } from '../harness';

const setSetting = async (category: string, key: string, value: string) => {
  await sql('update system_settings set value = $3 where category = $1 and key = $2', [category, key, value]);
  await env.CACHE.delete('system-settings:v1');
};

describe('security.allow_unverified_login', () => {
  afterEach(() => setSetting('security', 'allow_unverified_login', 'true'));

  it('lets unverified users sign in by default, and refuses them with 403 EMAIL_NOT_VERIFIED when false', async () => {
    const user = await registerUser();
    expect((await loginAs(user.email, user.password)).user.emailVerified).toBe(false);
    await setSetting('security', 'allow_unverified_login', 'false');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } }), 401, 'INVALID_CREDENTIALS');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 403, 'EMAIL_NOT_VERIFIED');
    const token = tokenFrom(await sentEmail(user.email, 'verify_email'), '/auth/verify-email');
    expect((await api('/api/auth/verify-email', { method: 'POST', body: { token } })).status).toBe(200);
    expect((await loginAs(user.email, user.password)).user.emailVerified).toBe(true);
  });
});

describe('features.two_factor_required', () => {
  afterEach(() => setSetting('features', 'two_factor_required', 'false'));

  it('asks users without two-factor to enrol at login, and finishes the login once they have', async () => {
    const user = await registerUser();
    await setSetting('features', 'two_factor_required', 'true');
    const t = stepAligned(new Date(), 3);
    const login = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now: t });
    expect(login.status).toBe(200);
    expect(login.body.data).toMatchObject({ twoFactorRequired: true, twoFactorSetupRequired: true, methods: ['totp'], challengeExpiresIn: 900 });
    expect(login.body.data).not.toHaveProperty('accessToken');
    const challengeToken = login.body.data.challengeToken;
    expect(await sql('select 1 from user_sessions where user_id = $1', [user.id])).toHaveLength(0);

    expectError(await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken, code: '123456' }, now: t }), 409, 'TWO_FACTOR_SETUP_NOT_STARTED');
    const setup = await api('/api/auth/2fa/login-setup', { method: 'POST', body: { challengeToken }, now: t });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const secret: string = setup.body.data.secret;
    expect(URI.parse(setup.body.data.otpauthUri).secret.base32).toBe(secret);

    expectError(await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken, code: totpAt(secret, seconds(t, -600)) }, now: t }), 400, 'INVALID_TWO_FACTOR_CODE');
    const done = await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken, code: totpAt(secret, t) }, now: t });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.data).toMatchObject({ twoFactorRequired: false, method: 'totp', user: { id: user.id } });
    expect(done.body.data.backupCodes).toHaveLength(10);
    expect((await api('/api/auth/2fa', { token: done.body.data.accessToken, now: t })).body.data).toMatchObject({ enabled: true, required: true, backupCodesRemaining: 10 });
    expect(await sentEmail(user.email, 'two_factor_enabled')).toBeTruthy();
    expectError(await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken, code: totpAt(secret, seconds(t, 30)) }, now: seconds(t, 30) }), 401, 'INVALID_CHALLENGE');

    const next = seconds(t, 60);
    const again = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now: next });
    expect(again.body.data).toMatchObject({ twoFactorRequired: true, twoFactorSetupRequired: false });
    expectError(await api('/api/auth/2fa/login-setup', { method: 'POST', body: { challengeToken: again.body.data.challengeToken }, now: next }), 401, 'INVALID_CHALLENGE');
    const verified = await api('/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: again.body.data.challengeToken, code: totpAt(secret, next) }, now: next });
    expect(verified.status).toBe(200);
    expect(verified.body.data).not.toHaveProperty('backupCodes');
  });
});
