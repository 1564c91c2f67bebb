import { describe, expect, it } from 'vitest';
import { api, expectError, signedInAdmin, signedInUser } from '../harness';
import { expectedSeedKeys, expectNoRoundTrip, findItem, seedKeysOf, testKey, userWithPermissions } from './helpers';

describe('GET /api/navigation', () => {
  it('returns all four variants of the full tree when type is omitted, one when asked', async () => {
    const { session } = await signedInUser();
    const all = await api('/api/navigation', { token: session.accessToken });
    expect(all.status).toBe(200);
    expect(Object.keys(all.body.data)).toEqual(['default', 'compact', 'horizontal', 'mobile']);
    for (const type of ['default', 'compact', 'horizontal', 'mobile'] as const) {
      // A plain user with navigation:view gets the whole tree, not only what they may open.
      expect(seedKeysOf(all.body.data[type]), type).toEqual(expectedSeedKeys.admin[type]);
      const one = await api(`/api/navigation?type=${type}`, { token: session.accessToken });
      expect(Object.keys(one.body.data)).toEqual([type]);
      expect(seedKeysOf(one.body.data[type])).toEqual(expectedSeedKeys.admin[type]);
    }
    const system = findItem(all.body.data.default, 'system');
    expect(system).toMatchObject({ id: 'system', type: 'collapsible', permissions: ['system:monitor'] });
    expect(system).not.toHaveProperty('pinned');
    expect(system?.children?.map((c) => c.id)).toEqual(['system-monitor', 'system-logs', 'system-settings']);
  });

  it('includes disabled items only with includeDisabled=true (or 1)', async () => {
    const { session: admin } = await signedInAdmin();
    const key = testKey('off');
    expect((await api('/api/navigation/items', { method: 'POST', token: admin.accessToken, body: { key, title: 'Off', type: 'item', disabled: true } })).status).toBe(201);
    const has = async (query: string) => Boolean(findItem((await api(`/api/navigation?type=default${query}`, { token: admin.accessToken })).body.data.default, key));
    expect(await has('')).toBe(false);
    expect(await has('&includeDisabled=false')).toBe(false);
    expect(await has('&includeDisabled=true')).toBe(true);
    expect(await has('&includeDisabled=1')).toBe(true);
    expect(findItem((await api(`/api/navigation?type=default&includeDisabled=1`, { token: admin.accessToken })).body.data.default, key)?.disabled).toBe(true);
  });

  it('is served from the cache without a database round trip', async () => {
    const caller = await signedInUser();
    await api('/api/navigation', { token: caller.session.accessToken });
    await expectNoRoundTrip('/api/navigation?type=compact', caller);
  });

  it('answers 400 for an unknown type or a malformed includeDisabled, 401 without a token, 403 without navigation:view', async () => {
    const { session } = await signedInUser();
    expectError(await api('/api/navigation?type=invalid', { token: session.accessToken }), 400, 'INVALID_NAVIGATION_TYPE');
    expectError(await api('/api/navigation?includeDisabled=maybe', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/navigation?page=2', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/navigation'), 401, 'UNAUTHORIZED');
    const { session: withoutView } = await userWithPermissions(['dashboard:view']);
    expectError(await api('/api/navigation', { token: withoutView.accessToken }), 403, 'FORBIDDEN');
    // Their own navigation needs navigation:view too.
    expectError(await api('/api/navigation/user', { token: withoutView.accessToken }), 403, 'FORBIDDEN');
  });
});
