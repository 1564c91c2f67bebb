import { describe, expect, it } from 'vitest';
import { api, expectError, loginAs, registerUser, sql } from '../harness';

describe('session revocation markers', () => {
  it('stop a revoked session’s access token at once', async () => {
    const user = await registerUser();
    const [a, b] = [await loginAs(user.email, user.password), await loginAs(user.email, user.password)];
    expect((await api(`/api/auth/sessions/${b.sessionId}`, { method: 'DELETE', token: a.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: b.accessToken }), 401, 'UNAUTHORIZED');
    expect(await sql("select 1 from session_security_events where user_id = $1 and event_type = 'revocation_marker_failed'", [user.id])).toHaveLength(0);
  });

  it('when KV refuses every retry: the revocation stands, refresh stops, and administrators see a high-severity event naming the residual window', async () => {
    const user = await registerUser();
    const [a, b] = [await loginAs(user.email, user.password), await loginAs(user.email, user.password)];
    const started = Date.now();
    const revoked = await api(`/api/auth/sessions/${b.sessionId}`, { method: 'DELETE', token: a.accessToken, headers: { 'X-Test-KV-Outage': '1' } });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    // Three attempts, 50 and 250 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const events = await sql<{ session_id: string; severity: string; residual: string }>(
      "select session_id, severity, event_data->>'residualSeconds' as residual from session_security_events where user_id = $1 and event_type = 'revocation_marker_failed'",
      [user.id],
    );
    expect(events).toEqual([{ session_id: b.sessionId, severity: 'high', residual: '900' }]);
    expectError(await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: b.refreshToken } }), 401, 'INVALID_REFRESH_TOKEN');
    // The residual window the README states: without the marker, the access token lives until it expires.
    expect((await api('/api/auth/me', { token: b.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: b.accessToken, now: new Date(Date.now() + 901_000) }), 401, 'TOKEN_EXPIRED');
  });
});
