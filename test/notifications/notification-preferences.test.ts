import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, loginAs, registerUser, signedInAdmin, signedInUser, sql, userWithPermissions } from '../harness';

const put = (token: string, preferences: unknown, now?: Date) =>
  api('/api/notifications/preferences', { method: 'PUT', token, body: { preferences }, ...(now ? { now } : {}) });

describe('GET /api/notifications/preferences', () => {
  it('lists the seeded types with their defaults and the time zone, in one round trip', async () => {
    const { session } = await signedInUser();
    const res = await api('/api/notifications/preferences', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect(res.body.data.timezone).toBe('UTC');
    expect(res.body.data.preferences.map((p: any) => p.type)).toEqual(['marketing', 'reminders', 'security', 'system', 'updates']);
    expect(res.body.data.preferences.find((p: any) => p.type === 'marketing')).toEqual({
      type: 'marketing',
      email: false,
      push: false,
      desktop: false,
      sound: false,
      frequency: 'weekly',
      quietHours: null,
      quietNow: false,
      quietUntil: null,
      customized: true,
    });
    expectError(await api('/api/notifications/preferences'), 401, 'UNAUTHORIZED');
  });
});

describe('PUT /api/notifications/preferences', () => {
  it('changes only the given fields, adds new types from the defaults, and reports quiet hours in the user’s zone', async () => {
    const { user, session } = await signedInUser();
    await sql("update user_preferences set timezone = 'Asia/Bangkok' where user_id = $1", [user.id]);
    // 23:00 in Bangkok.
    const now = new Date('2026-06-01T16:00:00Z');
    const res = await put(session.accessToken, [
      { type: 'security', quietHours: { start: '22:00', end: '07:00' }, sound: false },
      { type: 'billing', email: false },
    ], now);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect(res.body.data.timezone).toBe('Asia/Bangkok');
    const byType = Object.fromEntries(res.body.data.preferences.map((p: any) => [p.type, p]));
    expect(byType.security).toEqual({
      type: 'security',
      email: true,
      push: false,
      desktop: true,
      sound: false,
      frequency: 'immediate',
      quietHours: { start: '22:00', end: '07:00' },
      quietNow: true,
      quietUntil: '2026-06-02T00:00:00.000Z',
      customized: true,
    });
    expect(byType.billing).toMatchObject({ email: false, push: false, desktop: true, sound: true, frequency: 'immediate', quietHours: null, customized: true });
    expect(await sql("select 1 from audit_logs where entity_type = 'notification_preference' and user_id = $1", [user.id])).toHaveLength(1);

    const cleared = await put(session.accessToken, [{ type: 'security', quietHours: null }], now);
    expect(cleared.body.data.preferences.find((p: any) => p.type === 'security')).toMatchObject({ sound: false, quietHours: null, quietNow: false, quietUntil: null });
    const later = await api('/api/notifications/preferences', { token: session.accessToken });
    expect(later.body.data.preferences.find((p: any) => p.type === 'security').sound).toBe(false);
  });

  it('validates the body', async () => {
    const { session } = await signedInUser();
    for (const preferences of [
      [],
      [{ type: 'security', quietHours: { start: '22:00', end: '22:00' } }],
      [{ type: 'security', quietHours: { start: '25:00', end: '07:00' } }],
      [{ type: 'security', quietHours: { start: '22:00' } }],
      [{ type: 'security', frequency: 'hourly' }],
      [{ type: 'security' }, { type: 'security', email: false }],
      [{ type: 'Security!' }],
      [{ type: 'security', colour: 'red' }],
    ]) {
      expectError(await put(session.accessToken, preferences), 400, 'VALIDATION_ERROR');
    }
  });

  it('needs a token and settings:notifications', async () => {
    expectError(await api('/api/notifications/preferences', { method: 'PUT', body: { preferences: [{ type: 'security', email: false }] } }), 401, 'UNAUTHORIZED');
    const user = await registerUser();
    await sql('delete from user_roles where user_id = $1', [user.id]);
    const session = await loginAs(user.email, user.password);
    expectError(await put(session.accessToken, [{ type: 'security', email: false }]), 403, 'FORBIDDEN');
    // Reading needs settings:view.
    expectError(await api('/api/notifications/preferences', { token: session.accessToken }), 403, 'FORBIDDEN');
    const viewer = await userWithPermissions((await signedInAdmin()).session.accessToken, ['settings:view']);
    expect((await api('/api/notifications/preferences', { token: viewer.session.accessToken })).status).toBe(200);
    expectError(await put(viewer.session.accessToken, [{ type: 'security', email: false }]), 403, 'FORBIDDEN');
  });
});
