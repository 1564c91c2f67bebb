import { describe, expect, it } from 'vitest';
import { api, expectError, IPHONE_UA, loginAs, registerUser, signedInUser, sql } from '../harness';

const bangkok = { country: 'TH', city: 'Bangkok', region: 'Bangkok', timezone: 'Asia/Bangkok', latitude: '13.7563', longitude: '100.5018' };
const chiangMai = { country: 'TH', city: 'Chiang Mai', region: 'Chiang Mai', timezone: 'Asia/Bangkok', latitude: '18.7883', longitude: '98.9853' };
const london = { country: 'GB', city: 'London', region: 'England', timezone: 'Europe/London', latitude: '51.5074', longitude: '-0.1278' };

describe('sessions', () => {
  it('lists the caller’s sessions with device and location, marking the current one', async () => {
    const user = await registerUser();
    const desktop = await loginAs(user.email, user.password, { cf: bangkok });
    const phone = await loginAs(user.email, user.password, { headers: { 'User-Agent': IPHONE_UA }, cf: bangkok });
    const res = await api('/api/auth/sessions', { token: desktop.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    const current = res.body.data.find((s: any) => s.current);
    expect(current.id).toBe(desktop.sessionId);
    const mobile = res.body.data.find((s: any) => s.id === phone.sessionId);
    expect(mobile.deviceInfo).toMatchObject({ device: 'Mobile', location: 'Bangkok, TH', os: 'iOS 17.0' });
    expect(mobile).not.toHaveProperty('refreshToken');
  });

  it('revokes another session of the caller; refuses the current one; hides other users’ sessions', async () => {
    const user = await registerUser();
    const a = await loginAs(user.email, user.password);
    const b = await loginAs(user.email, user.password);
    expectError(await api(`/api/auth/sessions/${a.sessionId}`, { method: 'DELETE', token: a.accessToken }), 400, 'CANNOT_REVOKE_CURRENT_SESSION');
    const stranger = await signedInUser();
    expectError(await api(`/api/auth/sessions/${stranger.session.sessionId}`, { method: 'DELETE', token: a.accessToken }), 404, 'SESSION_NOT_FOUND');
    expect((await api('/api/auth/me', { token: stranger.session.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/sessions/not-a-uuid', { method: 'DELETE', token: a.accessToken }), 400, 'VALIDATION_ERROR');

    const res = await api(`/api/auth/sessions/${b.sessionId}`, { method: 'DELETE', token: a.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ message: 'Session revoked', sessionId: b.sessionId });
    expectError(await api('/api/auth/me', { token: b.accessToken }), 401, 'UNAUTHORIZED');
    expect((await api('/api/auth/me', { token: a.accessToken })).status).toBe(200);
    expect(await sql("select 1 from audit_logs where entity_id = $1 and action = 'delete'", [b.sessionId])).toHaveLength(1);
  });

  it('revokes every other session at once', async () => {
    const user = await registerUser();
    const keep = await loginAs(user.email, user.password);
    const others = [await loginAs(user.email, user.password), await loginAs(user.email, user.password)];
    const res = await api('/api/auth/sessions', { method: 'DELETE', token: keep.accessToken });
    expect(res.body.data.revokedSessions).toBe(2);
    for (const o of others) expect((await api('/api/auth/me', { token: o.accessToken })).status).toBe(401);
    expect((await api('/api/auth/me', { token: keep.accessToken })).status).toBe(200);
  });
});

describe('suspicious-login detection', () => {
  it('flags a login from a country the user has not used before, with an event and a notice', async () => {
    const user = await registerUser();
    const home = await loginAs(user.email, user.password, { cf: bangkok });
    expect((await sql<{ is_suspicious: string }>('select is_suspicious::text from user_sessions where id = $1', [home.sessionId]))[0]!.is_suspicious).toBe('false');
    const later = new Date(Date.now() + 24 * 3600 * 1000);
    const abroad = await loginAs(user.email, user.password, { cf: london, now: later });
    const [row] = await sql<{ is_suspicious: string; security_flags: string }>('select is_suspicious::text, security_flags from user_sessions where id = $1', [abroad.sessionId]);
    expect(row!.is_suspicious).toBe('true');
    expect(JSON.parse(row!.security_flags)).toEqual(['new_country']);
    const events = await sql<{ event_type: string; severity: string }>('select event_type, severity from session_security_events where session_id = $1', [abroad.sessionId]);
    expect(events).toEqual([{ event_type: 'suspicious_login:new_country', severity: 'medium' }]);
    expect(await sql("select 1 from notifications where user_id = $1 and type = 'security'", [user.id])).toHaveLength(1);
  });

  it('flags impossible travel, but not a plausible trip', async () => {
    const user = await registerUser();
    const t0 = new Date(Date.now() + 3600 * 1000);
    await loginAs(user.email, user.password, { cf: bangkok, now: t0 });
    const drive = await loginAs(user.email, user.password, { cf: chiangMai, now: new Date(t0.getTime() + 10 * 3600 * 1000) });
    expect((await sql<{ security_flags: string }>('select security_flags from user_sessions where id = $1', [drive.sessionId]))[0]!.security_flags).toBe('[]');
    const jump = await loginAs(user.email, user.password, { cf: london, now: new Date(t0.getTime() + 10.5 * 3600 * 1000) });
    const flags = JSON.parse((await sql<{ security_flags: string }>('select security_flags from user_sessions where id = $1', [jump.sessionId]))[0]!.security_flags);
    expect(flags).toEqual(expect.arrayContaining(['new_country', 'impossible_travel']));
    const [event] = await sql<{ severity: string; event_data: string }>("select severity, event_data from session_security_events where session_id = $1 and event_type = 'suspicious_login:impossible_travel'", [jump.sessionId]);
    expect(event!.severity).toBe('high');
    expect(JSON.parse(event!.event_data).speedKmh).toBeGreaterThan(1000);
  });
});
