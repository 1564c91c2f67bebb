import { describe, expect, it } from 'vitest';
import { api, createApiKey, dbStats, expectError, loginAs, newPassword, randomIdentity, registerUser, sql, verifyOwnEmail, warmSettingsCache } from '../harness';
import { challengeFor, seconds, sha256, stepAligned, tokenFrom, sentEmail, totpAt, userWithTwoFactor, verifyTwoFactor } from './helpers';

const verify = (token: string, now?: Date) => api('/api/auth/verify-email', { method: 'POST', body: { token }, ...(now ? { now } : {}) });
const registrationToken = async (email: string) => tokenFrom(await sentEmail(email, 'verify_email'), '/auth/verify-email');

describe('email verification', () => {
  it('emails a link on registration that verifies the address and activates the account, in 2 round trips', async () => {
    const user = await registerUser();
    const message = await sentEmail(user.email, 'verify_email');
    expect(message).toMatchObject({ to: user.email, from: 'AegisX Test <no-reply@aegisx.test>', subject: 'Verify your AegisX email address' });
    const token = tokenFrom(message, '/auth/verify-email');
    expect(message.html).toContain(`https://app.aegisx.test/auth/verify-email?token=${token}`);
    expect(message.text).toContain('expires in 24 hours');

    const [row] = await sql<Record<string, string>>('select * from email_verification_tokens where user_id = $1', [user.id]);
    expect(row).toMatchObject({ token: await sha256(token), email: user.email, used: 'f', previous_email: null });
    const validity = new Date(row!.expires_at!.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).getTime() - new Date(row!.created_at!.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).getTime();
    expect(validity).toBe(24 * 3600 * 1000);

    await warmSettingsCache();
    const res = await verify(token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ email: user.email, emailVerified: true, status: 'active', emailChanged: false });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 3 });
    const [u] = await sql<Record<string, string | null>>('select email_verified, email_verified_at, status from users where id = $1', [user.id]);
    expect(u).toMatchObject({ email_verified: 't', status: 'active' });
    expect(u!.email_verified_at).not.toBeNull();
    expect(await sql("select 1 from audit_logs where user_id = $1 and entity_type = 'user' and action = 'update' and description like 'Verified%'", [user.id])).toHaveLength(1);
    const session = await loginAs(user.email, user.password);
    expect(session.user).toMatchObject({ emailVerified: true, status: 'active' });
  });

  it('refuses a token used before, an unknown token and malformed input', async () => {
    const user = await registerUser();
    const token = await registrationToken(user.email);
    expect((await verify(token)).status).toBe(200);
    const again = await verify(token);
    expectError(again, 400, 'INVALID_TOKEN');
    expect(again.body.error.details).toEqual({ reason: 'used' });
    const unknown = await verify('x'.repeat(43));
    expectError(unknown, 400, 'INVALID_TOKEN');
    expect(unknown.body.error.details).toEqual({ reason: 'unknown' });
    expectError(await api('/api/auth/verify-email', { method: 'POST', body: {} }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/auth/verify-email', { method: 'POST', body: { token, extra: 1 } }), 400, 'VALIDATION_ERROR');
  });

  it('expires a token after 24 hours', async () => {
    const user = await registerUser();
    const token = await registrationToken(user.email);
    expectError(await verify(token, seconds(new Date(), 24 * 3600 + 5)), 400, 'LINK_EXPIRED');
    const [u] = await sql<{ email_verified: string }>('select email_verified from users where id = $1', [user.id]);
    expect(u!.email_verified).toBe('f');
    expect((await verify(token, seconds(new Date(), 23 * 3600))).status).toBe(200);
  });

  it('refuses a token for an address the account no longer has', async () => {
    const user = await registerUser();
    const token = await registrationToken(user.email);
    const other = randomIdentity().email;
    await sql('update users set email = $2 where id = $1', [user.id, other]);
    const res = await verify(token);
    expectError(res, 400, 'INVALID_TOKEN');
    expect(res.body.error.details).toEqual({ reason: 'address_changed' });
    const [u] = await sql<{ email: string; email_verified: string }>('select email, email_verified from users where id = $1', [user.id]);
    expect(u).toEqual({ email: other, email_verified: 'f' });
  });

  it('resends a link only to unverified accounts, with the same answer for every address, and invalidates the older link', async () => {
    const user = await registerUser();
    const first = await registrationToken(user.email);
    const verified = await registerUser();
    expect((await verify(await registrationToken(verified.email))).status).toBe(200);
    await warmSettingsCache();

    const answers = [];
    for (const email of [user.email, verified.email, randomIdentity().email]) {
      const res = await api('/api/auth/resend-verification', { method: 'POST', body: { email: email.toUpperCase() } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect((await dbStats(res.requestId)).roundTrips).toBe(2);
      answers.push(res.body.data);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    const resent = await sentEmail(user.email, 'verify_email', 2);
    const second = tokenFrom(resent, '/auth/verify-email');
    expect(second).not.toBe(first);
    expectError(await verify(first), 400, 'INVALID_TOKEN');
    expect((await verify(second)).status).toBe(200);
    expect(await sentEmail(verified.email, 'verify_email')).toBeTruthy();
    const toVerified = await api(`/api/dev/outbox?to=${encodeURIComponent(verified.email)}`);
    expect(toVerified.body.data).toHaveLength(1);
  });

  it('limits resend requests per address', async () => {
    const email = randomIdentity().email;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api('/api/auth/resend-verification', { method: 'POST', body: { email } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('PUT /api/auth/email', () => {
  it('needs a fresh proof, mails the new address a link and the old one a notice, and keeps the old address until verified', async () => {
    const user = await registerUser();
    const t0 = new Date();
    const session = await loginAs(user.email, user.password, { now: t0 });
    const newEmail = randomIdentity('changed').email;

    const stale = await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: newEmail }, now: seconds(t0, 301) });
    expectError(stale, 403, 'REAUTHENTICATION_REQUIRED');
    expect(stale.body.error.details).toMatchObject({ maxAgeSeconds: 300 });
    const reauth = await api('/api/auth/reauthenticate', { method: 'POST', token: session.accessToken, body: { password: user.password }, now: seconds(t0, 302) });
    expect(reauth.status, JSON.stringify(reauth.body)).toBe(200);

    await warmSettingsCache();
    const res = await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: newEmail.toUpperCase() }, now: seconds(t0, 303) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ email: user.email, pendingEmail: newEmail });
    expect(res.body.data).toMatchObject({ revokedSessions: 0, revokedApiKeys: 0 });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 2, statements: 8 });

    const link = await sentEmail(newEmail, 'verify_email');
    expect(link.subject).toBe('Confirm your new AegisX email address');
    const notice = await sentEmail(user.email, 'email_change_requested');
    expect(notice.text).toContain(newEmail);
    expect((await loginAs(user.email, user.password)).user.email).toBe(user.email);
    const registration = await sentEmail(user.email, 'verify_email');
    expectError(await verify(tokenFrom(registration, '/auth/verify-email')), 400, 'INVALID_TOKEN');

    const verified = await verify(tokenFrom(link, '/auth/verify-email'));
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.data).toEqual({ email: newEmail, emailVerified: true, status: 'active', emailChanged: true });
    expect((await loginAs(newEmail, user.password)).user.email).toBe(newEmail);
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 401, 'INVALID_CREDENTIALS');
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'email_changed'", [user.id])).toHaveLength(1);
  });

  it('signs out other sessions by default, revokes API keys on request, and spends reset links; the new address spends sign-in challenges', async () => {
    const tf = await userWithTwoFactor();
    await verifyOwnEmail(tf.accessToken);
    const key = await createApiKey(tf.accessToken, ['profile:read']);
    const t0 = stepAligned(new Date(Date.now() + 60_000), 1);
    const other = await verifyTwoFactor({ challengeToken: await challengeFor(tf.user, t0), code: totpAt(tf.secret, t0) }, t0);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect((await api('/api/auth/forgot-password', { method: 'POST', body: { email: tf.user.email } })).status).toBe(200);
    const resetLink = tokenFrom(await sentEmail(tf.user.email, 'password_reset'), '/auth/reset-password');
    const newEmail = randomIdentity('moved').email;

    const res = await api('/api/auth/email', { method: 'PUT', token: tf.accessToken, body: { email: newEmail, revokeApiKeys: true } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ revokedSessions: 1, revokedApiKeys: 1 });
    expectError(await api('/api/auth/me', { token: other.body.data.accessToken }), 401, 'UNAUTHORIZED');
    expect((await api('/api/auth/me', { token: tf.accessToken })).status).toBe(200);
    expectError(await api('/api/users/profile', { headers: { 'X-API-Key': key.key } }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/auth/reset-password', { method: 'POST', body: { token: resetLink, newPassword: newPassword() } }), 400, 'INVALID_TOKEN');

    // A sign-in challenge issued before the new address is verified dies with the old address.
    const pending = await challengeFor(tf.user, seconds(t0, 31));
    expect((await verify(tokenFrom(await sentEmail(newEmail, 'verify_email'), '/auth/verify-email'))).status).toBe(200);
    expectError(await verifyTwoFactor({ challengeToken: pending, code: totpAt(tf.secret, seconds(t0, 62)) }, seconds(t0, 62)), 401, 'INVALID_CHALLENGE');
  });

  it('keeps other sessions when asked to', async () => {
    const user = await registerUser();
    const [current, other] = [await loginAs(user.email, user.password), await loginAs(user.email, user.password)];
    const res = await api('/api/auth/email', { method: 'PUT', token: current.accessToken, body: { email: randomIdentity('kept').email, revokeOtherSessions: false } });
    expect(res.body.data).toMatchObject({ revokedSessions: 0, revokedApiKeys: 0 });
    expect((await api('/api/auth/me', { token: other.accessToken })).status).toBe(200);
  });

  it('refuses a change link once the account address changed by other means', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    const newEmail = randomIdentity('changed').email;
    expect((await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: newEmail } })).status).toBe(200);
    const token = tokenFrom(await sentEmail(newEmail, 'verify_email'), '/auth/verify-email');
    const elsewhere = randomIdentity('admin-set').email;
    await sql('update users set email = $2 where id = $1', [user.id, elsewhere]);
    const res = await verify(token);
    expectError(res, 400, 'INVALID_TOKEN');
    expect(res.body.error.details).toEqual({ reason: 'address_changed' });
    expect((await sql<{ email: string }>('select email from users where id = $1', [user.id]))[0]!.email).toBe(elsewhere);
  });

  it('answers 409 for an address in use (now, or by the time the link is used) and 400 for the same address', async () => {
    const user = await registerUser();
    const other = await registerUser();
    const session = await loginAs(user.email, user.password);
    expectError(await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: other.email } }), 409, 'EMAIL_ALREADY_EXISTS');
    expectError(await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: user.email } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: 'not-an-email' } }), 400, 'VALIDATION_ERROR');

    const wanted = randomIdentity('wanted').email;
    expect((await api('/api/auth/email', { method: 'PUT', token: session.accessToken, body: { email: wanted } })).status).toBe(200);
    const token = tokenFrom(await sentEmail(wanted, 'verify_email'), '/auth/verify-email');
    await registerUser({ email: wanted });
    expectError(await verify(token), 409, 'EMAIL_ALREADY_EXISTS');
    expect((await sql<{ email: string }>('select email from users where id = $1', [user.id]))[0]!.email).toBe(user.email);
  });

  it('answers 401 without a token', async () => {
    expectError(await api('/api/auth/email', { method: 'PUT', body: { email: randomIdentity().email } }), 401, 'UNAUTHORIZED');
  });
});
