import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, seededAdmin, signedInUser, sql } from '../harness';

const refresh = (refreshToken: string, init: Parameters<typeof api>[1] = {}) => api('/api/auth/refresh', { method: 'POST', body: { refreshToken }, ...init });

describe('POST /api/auth/refresh', () => {
  it('rotates the refresh token on every use, in one round trip', async () => {
    const { session } = await signedInUser();
    const first = await refresh(session.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(first.body.data.refreshToken).not.toBe(session.refreshToken);
    expect(first.headers.get('set-cookie')).toContain(`aegisx_refresh=${first.body.data.refreshToken}`);
    expect(await dbStats(first.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const me = await api('/api/auth/me', { token: first.body.data.accessToken });
    expect(me.body.data.session.id).toBe(session.sessionId);
    const second = await refresh(first.body.data.refreshToken);
    expect(second.status).toBe(200);
    expect(await sql("select 1 from session_activity where session_id = $1 and activity_type = 'refresh'", [session.sessionId])).toHaveLength(2);
  });

  it('takes the token from X-Refresh-Token or the cookie', async () => {
    const { session } = await signedInUser();
    const viaHeader = await api('/api/auth/refresh', { method: 'POST', headers: { 'X-Refresh-Token': session.refreshToken } });
    expect(viaHeader.status).toBe(200);
    const viaCookie = await api('/api/auth/refresh', { method: 'POST', headers: { Cookie: `aegisx_refresh=${viaHeader.body.data.refreshToken}` } });
    expect(viaCookie.status).toBe(200);
    expectError(await api('/api/auth/refresh', { method: 'POST' }), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('gives two tabs refreshing at once the same new token (grace window), without revoking', async () => {
    const { session } = await signedInUser();
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.data.refreshToken).toBe(b.body.data.refreshToken);
    expect((await refresh(a.body.data.refreshToken)).status).toBe(200);
  });

  it('revokes the whole session when a rotated token is presented after the grace window', async () => {
    const { user, session } = await signedInUser();
    const rotated = await refresh(session.refreshToken);
    const later = new Date(Date.now() + 60_000);
    expectError(await refresh(session.refreshToken, { now: later }), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await refresh(rotated.body.data.refreshToken, { now: later }), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await api('/api/auth/me', { token: rotated.body.data.accessToken }), 401, 'UNAUTHORIZED');
    const [row] = await sql<{ revoked_reason: string }>('select revoked_reason from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_reason).toBe('refresh_token_reuse');
    const events = await sql<{ severity: string }>("select severity from session_security_events where user_id = $1 and event_type = 'refresh_token_reuse'", [user.id]);
    expect(events).toEqual([{ severity: 'high' }]);
  });

  it('expires after the idle timeout and never outlives the absolute lifetime', async () => {
    const { session } = await signedInUser();
    const idle = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    expectError(await refresh(session.refreshToken, { now: idle }), 401, 'REFRESH_TOKEN_EXPIRED');

    const other = await signedInUser();
    let token = other.session.refreshToken;
    for (const days of [6, 12, 18, 24]) {
      const res = await refresh(token, { now: new Date(Date.now() + days * 24 * 3600 * 1000) });
      expect(res.status, `day ${days}`).toBe(200);
      token = res.body.data.refreshToken;
    }
    expectError(await refresh(token, { now: new Date(Date.now() + 31 * 24 * 3600 * 1000) }), 401, 'REFRESH_TOKEN_EXPIRED');
  });

  it('revokes the session when any older token of its family is replayed (R0 after R0 → R1 → R2), even at once', async () => {
    const { user, session } = await signedInUser();
    const r1 = await refresh(session.refreshToken);
    const r2 = await refresh(r1.body.data.refreshToken);
    expect(r2.status).toBe(200);
    // R0 is two generations back: never inside the grace window, whatever the clock says.
    expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await refresh(r2.body.data.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await api('/api/auth/me', { token: r2.body.data.accessToken }), 401, 'UNAUTHORIZED');
    const [row] = await sql<{ revoked_reason: string }>('select revoked_reason from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_reason).toBe('refresh_token_reuse');
    const events = await sql<{ severity: string; generation: string }>(
      "select severity, event_data->>'generation' as generation from session_security_events where user_id = $1 and event_type = 'refresh_token_reuse'",
      [user.id],
    );
    expect(events).toEqual([{ severity: 'high', generation: 'older' }]);
  });

  it('keeps the grace window at 10 seconds by default', async () => {
    const { session } = await signedInUser();
    const rotatedAt = new Date();
    const rotated = await refresh(session.refreshToken, { now: rotatedAt });
    const inside = await refresh(session.refreshToken, { now: new Date(rotatedAt.getTime() + 9_000) });
    expect(inside.status).toBe(200);
    expect(inside.body.data.refreshToken).toBe(rotated.body.data.refreshToken);
    expectError(await refresh(session.refreshToken, { now: new Date(rotatedAt.getTime() + 11_000) }), 401, 'INVALID_REFRESH_TOKEN');
    const [row] = await sql<{ revoked_reason: string }>('select revoked_reason from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_reason).toBe('refresh_token_reuse');
  });

  it('treats a token naming a session with a forged tag as unknown: the session lives on', async () => {
    const { session } = await signedInUser();
    const [family, secret] = session.refreshToken.split('.');
    expect(family).toBe(session.sessionId.replaceAll('-', ''));
    expectError(await refresh(`${family}.${secret!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${'A'.repeat(22)}`), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await refresh(`${family}.${'A'.repeat(43)}.${'A'.repeat(22)}`), 401, 'INVALID_REFRESH_TOKEN');
    const [row] = await sql<{ revoked_at: string | null }>('select revoked_at from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_at).toBeNull();
    expect((await refresh(session.refreshToken)).status).toBe(200);
  });

  it('answers tokens with Cache-Control: no-store', async () => {
    const { session } = await signedInUser();
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a session whose account was suspended, and revokes it', async () => {
    const admin = await seededAdmin();
    const { user, session } = await signedInUser();
    const suspended = await api(`/api/users/${user.id}/status`, { method: 'PUT', token: admin.accessToken, body: { status: 'suspended' } });
    expect(suspended.status).toBe(200);
    expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    const [row] = await sql<{ revoked_reason: string | null }>('select revoked_reason from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_reason).not.toBeNull();
    expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
  });

  it('refuses and revokes a session whose account was suspended outside the API (a database operator)', async () => {
    const { user, session } = await signedInUser();
    await sql("update users set status = 'suspended' where id = $1", [user.id]);
    expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    const [row] = await sql<{ revoked_reason: string }>('select revoked_reason from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_reason).toBe('account_blocked');
  });

  it('refuses unknown tokens', async () => {
    expectError(await refresh('x'.repeat(43)), 401, 'INVALID_REFRESH_TOKEN');
  });
});
