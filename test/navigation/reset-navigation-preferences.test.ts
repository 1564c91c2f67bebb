import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser, sql } from '../harness';
import { auditRowsOf, expectedSeedKeys, expectNoRoundTrip, fresh, measured, seedKeysOf } from './helpers';

describe('DELETE /api/navigation/preferences', () => {
  it('resets the caller’s navigation to the defaults, leaving other users’ preferences alone', async () => {
    const me = await signedInUser();
    const { session, user } = me;
    const { session: other, user: otherUser } = await signedInUser();
    await api('/api/navigation/preferences/dashboard', { method: 'PUT', token: session.accessToken, body: { hidden: true } });
    await api('/api/navigation/preferences/help-support', { method: 'PUT', token: session.accessToken, body: { pinned: true } });
    await api('/api/navigation/preferences/dashboard', { method: 'PUT', token: other.accessToken, body: { hidden: true } });
    const before = (await api('/api/navigation/user?type=default', { token: session.accessToken })).body.data.default;
    expect(seedKeysOf(before)[0]).toBe('help-support');
    expect(seedKeysOf(before)).not.toContain('dashboard');

    const res = await api('/api/navigation/preferences', { method: 'DELETE', token: await fresh(me) });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ removed: 2 });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 2 });
    expect(await auditRowsOf(res.requestId)).toMatchObject([{ action: 'delete', entity_type: 'navigation_preference', entity_id: user.id }]);

    // The reset invalidated the cached preferences: the next read loads them (one round trip), then none.
    const after = await measured('/api/navigation/user?type=default', me);
    expect(after.stats).toEqual({ roundTrips: 1, statements: 1 });
    expect(seedKeysOf(after.res.body.data.default)).toEqual(expectedSeedKeys.user.default);
    await expectNoRoundTrip('/api/navigation/user?type=default', me);
    expect(await sql('select 1 from user_navigation_preferences where user_id = $1', [otherUser.id])).toHaveLength(1);
    expect((await api('/api/navigation/preferences', { method: 'DELETE', token: me.session.accessToken })).body.data).toEqual({ removed: 0 });
  });

  it('answers 401 without a token', async () => {
    expectError(await api('/api/navigation/preferences', { method: 'DELETE' }), 401, 'UNAUTHORIZED');
  });
});
