import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, randomIp, registerUser, seededAdmin } from '../harness';
import { throttleFrom, throttleInDatabase, throttleRow } from './helpers';

describe('GET /api/users/{id}/login-throttle', () => {
  it('shows why sign-ins are refused: the account’s counter and lock and every source’s row, as stored, in one round trip', async () => {
    const admin = await seededAdmin();
    const user = await registerUser();
    const clear = await api(`/api/users/${user.id}/login-throttle`, { token: admin.accessToken });
    expect(clear.status).toBe(200);
    expect(clear.body.data).toMatchObject({ userId: user.id, throttled: false, locked: false, lockedUntil: null, failedLoginAttempts: 0, sources: [], sourcesTotal: 0 });

    await throttleFrom(user, randomIp());
    const now = Date.now();
    await throttleRow(user.id, '2001:db8:1:2::/64', { lastSuccessAt: new Date(now - 3_600_000) });
    await throttleRow(user.id, '198.51.100.9', { failedAttempts: 7, lastFailedAt: new Date(now - 60_000), blockedUntil: new Date(now + 600_000) });
    await throttleRow(user.id, '198.51.100.10', { failedAttempts: 2, lastFailedAt: new Date(now - 60_000), blockedUntil: new Date(now - 1_000) });

    const res = await api(`/api/users/${user.id}/login-throttle`, { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(await throttleInDatabase(user.id));
    expect(res.body.data.throttled).toBe(true);
    expect(res.body.data.failedLoginAttempts).toBeGreaterThanOrEqual(5);
    const bySource = Object.fromEntries(res.body.data.sources.map((s: { source: string }) => [s.source, s]));
    expect(bySource['198.51.100.9']).toMatchObject({ failedAttempts: 7, blocked: true, known: false, blockedUntil: new Date(now + 600_000).toISOString() });
    expect(bySource['198.51.100.10']).toMatchObject({ blocked: false, known: false });
    expect(bySource['2001:db8:1:2::/64']).toMatchObject({ failedAttempts: 0, blocked: false, known: true, lastSuccessAt: new Date(now - 3_600_000).toISOString() });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const admin = await seededAdmin();
    expectError(await api(`/api/users/${crypto.randomUUID()}/login-throttle`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    expectError(await api('/api/users/not-a-uuid/login-throttle', { token: admin.accessToken }), 400, 'VALIDATION_ERROR');
  });
});
