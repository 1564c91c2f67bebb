import { describe, expect, it } from 'vitest';
import { api, newPassword, registerUser, sql, type ApiResponse } from '../harness';
import { seconds, sha256, stepAligned, tokenFrom, totpAt, sentEmail } from './helpers';

/**
 * One user through every account-security flow. Every response body, and every audit row and
 * security event of the user, is scanned for the secrets involved: the TOTP secret (plain and
 * sealed), backup codes (plain and hashed), email tokens (plain and hashed), passwords and
 * password hashes. The only exceptions are the answers that hand a secret to its owner once:
 * the setup (the TOTP secret) and the confirmation / regeneration (their backup codes).
 */
describe('secrets in responses and audit rows', () => {
  it('never appear, except the one answer that hands each to its owner', async () => {
    const responses: { label: string; res: ApiResponse; allowed: string[] }[] = [];
    const call = async (label: string, path: string, init: Parameters<typeof api>[1] = {}, allowed: string[] = []) => {
      const res = await api(path, init);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      responses.push({ label, res, allowed });
      return res;
    };
    const secrets = new Set<string>();
    const passwordHash = async (userId: string) => (await sql<{ password: string }>('select password from users where id = $1', [userId]))[0]!.password;

    const user = await registerUser();
    secrets.add(user.password);
    secrets.add(await passwordHash(user.id));
    const verifyToken = tokenFrom(await sentEmail(user.email, 'verify_email'), '/auth/verify-email');
    secrets.add(verifyToken).add(await sha256(verifyToken));
    await call('verify email', '/api/auth/verify-email', { method: 'POST', body: { token: verifyToken } });

    const t0 = new Date();
    const login = await call('login', '/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now: t0 });
    const token = login.body.data.accessToken;
    await call('reauthenticate', '/api/auth/reauthenticate', { method: 'POST', token, body: { password: user.password }, now: seconds(t0, 1) });
    const setup = await api('/api/auth/2fa/setup', { method: 'POST', token, now: seconds(t0, 2) });
    const secret: string = setup.body.data.secret;
    responses.push({ label: 'setup', res: setup, allowed: [secret] });
    secrets.add(secret);
    secrets.add((await sql<{ two_factor_secret: string }>('select two_factor_secret from users where id = $1', [user.id]))[0]!.two_factor_secret);

    const confirmAt = stepAligned(seconds(t0, 3), 1);
    const confirm = await api('/api/auth/2fa/confirm', { method: 'POST', token, body: { code: totpAt(secret, confirmAt) }, now: confirmAt });
    const firstCodes: string[] = confirm.body.data.backupCodes;
    responses.push({ label: 'confirm', res: confirm, allowed: firstCodes });
    const storedCodes = async () => JSON.parse((await sql<{ c: string }>('select two_factor_backup_codes::text as c from users where id = $1', [user.id]))[0]!.c) as string[];
    for (const code of firstCodes) secrets.add(code).add(code.replace('-', ''));
    for (const hash of await storedCodes()) secrets.add(hash);
    await call('status', '/api/auth/2fa', { token, now: confirmAt });

    const t1 = seconds(confirmAt, 60);
    const challenge = await call('login (challenge)', '/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now: t1 });
    const signedIn = await call('2fa verify (totp)', '/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: challenge.body.data.challengeToken, code: totpAt(secret, t1) }, now: t1 });
    const token2 = signedIn.body.data.accessToken;
    const challenge2 = await call('login (challenge 2)', '/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now: t1 });
    await call('2fa verify (backup)', '/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: challenge2.body.data.challengeToken, backupCode: firstCodes[0] }, now: t1 });
    await call('me', '/api/auth/me', { token: token2, now: t1 });
    await call('sessions', '/api/auth/sessions', { token: token2, now: t1 });

    const regenerate = await api('/api/auth/2fa/backup-codes', { method: 'POST', token: token2, now: seconds(t1, 1) });
    const secondCodes: string[] = regenerate.body.data.backupCodes;
    responses.push({ label: 'regenerate', res: regenerate, allowed: secondCodes });
    for (const code of secondCodes) secrets.add(code).add(code.replace('-', ''));
    for (const hash of await storedCodes()) secrets.add(hash);

    const changed = newPassword();
    secrets.add(changed);
    await call('change password', '/api/auth/change-password', { method: 'POST', token: token2, body: { currentPassword: user.password, newPassword: changed }, now: seconds(t1, 2) });
    secrets.add(await passwordHash(user.id));
    await call('change email', '/api/auth/email', { method: 'PUT', token: token2, body: { email: `new-${user.email}` }, now: seconds(t1, 3) });
    const changeToken = tokenFrom(await sentEmail(`new-${user.email}`, 'verify_email'), '/auth/verify-email');
    secrets.add(changeToken).add(await sha256(changeToken));

    await call('forgot password', '/api/auth/forgot-password', { method: 'POST', body: { email: user.email } });
    const resetToken = tokenFrom(await sentEmail(user.email, 'password_reset'), '/auth/reset-password');
    secrets.add(resetToken).add(await sha256(resetToken));
    const reset = newPassword();
    secrets.add(reset);
    await call('reset password', '/api/auth/reset-password', { method: 'POST', body: { token: resetToken, newPassword: reset } });
    secrets.add(await passwordHash(user.id));

    const t2 = seconds(t1, 90);
    const challenge3 = await call('login (challenge 3)', '/api/auth/login', { method: 'POST', body: { email: user.email, password: reset }, now: t2 });
    const last = await call('2fa verify (totp 2)', '/api/auth/2fa/verify', { method: 'POST', body: { challengeToken: challenge3.body.data.challengeToken, code: totpAt(secret, t2) }, now: t2 });
    await call('disable 2fa', '/api/auth/2fa/disable', { method: 'POST', token: last.body.data.accessToken, body: { password: reset }, now: t2 });

    expect(secrets.size).toBeGreaterThan(40);
    for (const { label, res, allowed } of responses) {
      const text = JSON.stringify(res.body) + [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
      for (const s of secrets) {
        if (allowed.includes(s)) continue;
        expect(text.includes(s), `${label} response contains a secret`).toBe(false);
      }
    }

    const audit = await sql('select * from audit_logs where user_id = $1', [user.id]);
    const events = await sql('select * from session_security_events where user_id = $1', [user.id]);
    expect(audit.length).toBeGreaterThan(10);
    expect(events.length).toBeGreaterThan(5);
    for (const [kind, rows] of [['audit_logs', audit], ['session_security_events', events]] as const) {
      for (const row of rows) {
        const text = JSON.stringify(row);
        for (const s of secrets) expect(text.includes(s), `${kind} row "${String(row.description)}" contains a secret`).toBe(false);
      }
    }
  });
});
