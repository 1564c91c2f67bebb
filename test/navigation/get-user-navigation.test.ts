import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { expectedSeedKeys, expectNoRoundTrip, findItem, flatKeys, fresh, measured, partialPermissions, seedKeysOf, testKey, tokenWithPermissions, userWithPermissions, type NavItem } from './helpers';

const types = ['default', 'compact', 'horizontal', 'mobile'] as const;

async function userView(token: string, type?: string) {
  const res = await api(`/api/navigation/user${type ? `?type=${type}` : ''}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Record<string, NavItem[]>;
}

async function expectSeedView(token: string, expected: Record<(typeof types)[number], string[]>) {
  const all = await userView(token);
  expect(Object.keys(all)).toEqual([...types]);
  for (const type of types) {
    expect(seedKeysOf(all[type]), `${type} (all variants)`).toEqual(expected[type]);
    const one = await userView(token, type);
    expect(Object.keys(one)).toEqual([type]);
    expect(seedKeysOf(one[type]), type).toEqual(expected[type]);
  }
}

describe('GET /api/navigation/user', () => {
  it('shows a user holding only some permissions exactly the allowed items of every variant, orphans dropped', async () => {
    const { session } = await userWithPermissions(partialPermissions);
    await expectSeedView(session.accessToken, expectedSeedKeys.partial);
  });

  it('shows the seeded user role, a resource wildcard and no permissions at all exactly what they allow', async () => {
    const { session: user } = await signedInUser();
    await expectSeedView(user.accessToken, expectedSeedKeys.user);
    await expectSeedView(await tokenWithPermissions(['navigation:view', 'system:*']), expectedSeedKeys.systemWildcard);
    // Only the permission to read one's navigation: the items that require nothing.
    const { session: nobody } = await userWithPermissions(['navigation:view']);
    await expectSeedView(nobody.accessToken, expectedSeedKeys.none);
    // Without it, not even that.
    const { session: none } = await userWithPermissions([]);
    expectError(await api('/api/navigation/user', { token: none.accessToken }), 403, 'FORBIDDEN');
  });

  it('shows an admin (*:*) everything', async () => {
    const { session } = await signedInAdmin();
    await expectSeedView(session.accessToken, expectedSeedKeys.admin);
  });

  it('keeps the original shape: key as id, sorted children, target left out when _self, badges, permissions as resource:action', async () => {
    const { session } = await signedInAdmin();
    const data = (await userView(session.accessToken, 'default')).default!;
    const settings = findItem(data, 'settings')!;
    expect(settings).toMatchObject({ id: 'settings', title: 'Settings', type: 'collapsible', icon: 'heroicons_outline:cog-6-tooth', permissions: ['settings:view'], pinned: false });
    expect(settings).not.toHaveProperty('target');
    expect(settings).not.toHaveProperty('link');
    expect(findItem(data, 'help-documentation')).toMatchObject({ link: '/help/docs', target: '_blank' });
    expect(findItem(data, 'help-about')).not.toHaveProperty('permissions');
    expect(findItem(data, 'divider-1')).toEqual({ id: 'divider-1', title: 'Divider', type: 'divider', disabled: false, hidden: false, exactMatch: false, pinned: false });

    const { session: admin } = await signedInAdmin();
    const key = testKey('badge');
    const created = await api('/api/navigation/items', {
      method: 'POST',
      token: admin.accessToken,
      body: { key, title: 'Inbox', type: 'item', link: '/inbox', target: '_top', badge: { title: '3' }, meta: { source: 'test' }, exactMatch: true, sortOrder: 999 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const inbox = findItem((await userView(session.accessToken, 'mobile')).mobile, key);
    expect(inbox).toEqual({
      id: key,
      title: 'Inbox',
      type: 'item',
      link: '/inbox',
      target: '_top',
      disabled: false,
      hidden: false,
      exactMatch: true,
      badge: { title: '3', variant: 'default' },
      meta: { source: 'test' },
      pinned: false,
    });
  });

  it('leaves out hidden and disabled items, and children whose parent is not shown', async () => {
    const { session: admin } = await signedInAdmin();
    const { session: user } = await signedInUser();
    const k = { root: testKey('root'), open: testKey('open'), hidden: testKey('hidden'), underHidden: testKey('under-hidden'), disabled: testKey('disabled'), locked: testKey('locked'), underLocked: testKey('under-locked'), disabledRoot: testKey('disabled-root'), underDisabledRoot: testKey('under-disabled-root') };
    const create = async (body: Record<string, unknown>) => {
      const res = await api('/api/navigation/items', { method: 'POST', token: admin.accessToken, body: { type: 'item', title: String(body.key), sortOrder: 1000, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await create({ key: k.root, type: 'group' });
    await create({ key: k.open, parentKey: k.root, sortOrder: 1 });
    await create({ key: k.hidden, parentKey: k.root, hidden: true, sortOrder: 2 });
    await create({ key: k.underHidden, parentKey: k.hidden });
    await create({ key: k.disabled, parentKey: k.root, disabled: true, sortOrder: 3 });
    await create({ key: k.locked, parentKey: k.root, permissions: ['system:settings'], sortOrder: 4 });
    await create({ key: k.underLocked, parentKey: k.locked });
    await create({ key: k.disabledRoot, disabled: true, sortOrder: 1001 });
    await create({ key: k.underDisabledRoot, parentKey: k.disabledRoot });

    const mine = (items: NavItem[] = []) => flatKeys(items).filter((key) => Object.values(k).includes(key));
    expect(mine((await userView(user.accessToken, 'default')).default)).toEqual([k.root, k.open]);
    expect(mine((await userView(admin.accessToken, 'default')).default)).toEqual([k.root, k.open, k.locked, k.underLocked]);
    // The full tree (navigation:view) still lists hidden items, flagged, and disabled ones on request.
    const full = await api('/api/navigation?type=default', { token: admin.accessToken });
    expect(mine(full.body.data.default)).toEqual([k.root, k.open, k.hidden, k.underHidden, k.locked, k.underLocked]);
    expect(findItem(full.body.data.default, k.hidden)?.hidden).toBe(true);
    const withDisabled = await api('/api/navigation?type=default&includeDisabled=true', { token: admin.accessToken });
    expect(mine(withDisabled.body.data.default)).toEqual([k.root, k.open, k.hidden, k.underHidden, k.disabled, k.locked, k.underLocked, k.disabledRoot, k.underDisabledRoot]);
  });

  it('shows an admin change to users on their next request', async () => {
    const { session: admin } = await signedInAdmin();
    const viewer = await signedInUser();
    const key = testKey('live');
    const visible = async () => findItem((await userView(viewer.session.accessToken, 'default')).default, key);
    expect(await visible()).toBeUndefined();
    // Warm: the tree and the user's preferences are now cached...
    await expectNoRoundTrip('/api/navigation/user?type=default', viewer);
    // ...and every administration write below invalidates the tree before it answers.

    const create = await api('/api/navigation/items', { method: 'POST', token: admin.accessToken, body: { key, title: 'Live', type: 'item', sortOrder: 500 } });
    expect(create.status).toBe(201);
    expect((await visible())?.title).toBe('Live');

    await api(`/api/navigation/items/${key}`, { method: 'PATCH', token: admin.accessToken, body: { title: 'Renamed' } });
    expect((await visible())?.title).toBe('Renamed');

    await api(`/api/navigation/items/${key}/permissions`, { method: 'PUT', token: admin.accessToken, body: { permissions: ['system:logs'] } });
    expect(await visible()).toBeUndefined();

    await api(`/api/navigation/items/${key}/permissions`, { method: 'PUT', token: admin.accessToken, body: { permissions: [] } });
    expect(await visible()).toBeDefined();

    await api(`/api/navigation/items/${key}`, { method: 'DELETE', token: admin.accessToken });
    expect(await visible()).toBeUndefined();
  });

  it('costs at most one database round trip, and none when the tree and the preferences are cached', async () => {
    const me = await signedInUser();
    // Nothing from KV (a simulated outage): the tree and the preferences come in one statement.
    const cold = await measured('/api/navigation/user', me, { 'X-Test-KV-Outage': '1' });
    expect(cold.res.status).toBe(200);
    expect(seedKeysOf(cold.res.body.data.default)).toEqual(expectedSeedKeys.user.default);
    expect(cold.stats).toEqual({ roundTrips: 1, statements: 1 });

    // Preferences never read before: loaded (with the tree if that is not cached either) in one statement...
    const first = await api('/api/navigation/user?type=default', { token: await fresh(me) });
    expect(first.status).toBe(200);
    expect(await dbStats(first.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    // ...and cached after the response: from then on, no database at all.
    await expectNoRoundTrip('/api/navigation/user?type=mobile', me);
    await expectNoRoundTrip('/api/navigation/user', me);
  });

  it('answers 400 INVALID_NAVIGATION_TYPE for an unknown type, 400 for unknown parameters, 401 without a token', async () => {
    const { session } = await signedInUser();
    expectError(await api('/api/navigation/user?type=sideways', { token: session.accessToken }), 400, 'INVALID_NAVIGATION_TYPE');
    expectError(await api('/api/navigation/user?includeHidden=true', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/navigation/user'), 401, 'UNAUTHORIZED');
    expectError(await api('/api/navigation/user', { token: 'not-a-token' }), 401, 'UNAUTHORIZED');
  });
});
