import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { auditRowsOf, createItem, fresh, storedItem, testKey } from './helpers';

/** a > b > c, and a separate root d. */
async function chain(token: string) {
  const a = (await createItem(token, { key: testKey('a'), type: 'collapsible' })).key;
  const b = (await createItem(token, { key: testKey('b'), type: 'collapsible', parentKey: a })).key;
  const c = (await createItem(token, { key: testKey('c'), parentKey: b })).key;
  const d = (await createItem(token, { key: testKey('d') })).key;
  return { a, b, c, d };
}

const patch = (token: string, key: string, body: unknown) => api(`/api/navigation/items/${key}`, { method: 'PATCH', token, body });

describe('PATCH /api/navigation/items/{key}', () => {
  it('changes only the fields sent, in one round trip with an audit row', async () => {
    const admin = await signedInAdmin();
    const { session } = admin;
    const key = (await createItem(session.accessToken, { key: testKey('edit'), link: '/old', badge: { title: 'Old' }, meta: { a: 1 }, permissions: ['users:read'] })).key;
    const res = await patch(await fresh(admin), key, {
      title: 'New title',
      target: '_parent',
      hidden: true,
      showIn: { mobile: false },
      badge: null,
      meta: { b: 2 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      key,
      title: 'New title',
      link: '/old',
      target: '_parent',
      hidden: true,
      badge: null,
      meta: { b: 2 },
      showIn: { default: true, compact: true, horizontal: true, mobile: false },
      permissions: ['users:read'],
    });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    const [audit] = await auditRowsOf(res.requestId);
    expect(audit).toMatchObject({ action: 'update', entity_type: 'navigation_item', entity_id: key });
    expect(JSON.parse(audit!.new_values!)).toMatchObject({ title: 'New title', badge: null });
  });

  it('renames the key, refusing one that is taken (409)', async () => {
    const { session } = await signedInAdmin();
    const key = (await createItem(session.accessToken, { key: testKey('rename') })).key;
    const renamed = testKey('renamed');
    const res = await patch(session.accessToken, key, { key: renamed });
    expect(res.body.data.key).toBe(renamed);
    expect(await storedItem(key)).toBeUndefined();
    expectError(await patch(session.accessToken, renamed, { key: 'dashboard' }), 409, 'NAVIGATION_KEY_EXISTS');
    expect(await storedItem(renamed)).toBeDefined();
  });

  it('moves an item under another one or to the root', async () => {
    const admin = await signedInAdmin();
    const { session } = admin;
    const { a, c, d } = await chain(session.accessToken);
    const moved = await patch(await fresh(admin), d, { parentKey: c, sortOrder: 3 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data).toMatchObject({ parentKey: c, sortOrder: 3 });
    expect(await dbStats(moved.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect((await patch(session.accessToken, c, { parentKey: a })).body.data.parentKey).toBe(a);
    expect((await patch(session.accessToken, c, { parentKey: null })).body.data.parentKey).toBeNull();
    expect(await storedItem(d)).toMatchObject({ parent_key: c });
  });

  it('rejects cycles: an item can never become its own ancestor', async () => {
    const { session } = await signedInAdmin();
    const { a, b, c } = await chain(session.accessToken);
    for (const [item, parent] of [
      [a, a],
      [a, b],
      [a, c],
      [b, c],
    ] as const) {
      const res = await patch(session.accessToken, item, { parentKey: parent, title: 'Should not change' });
      expectError(res, 400, 'NAVIGATION_CYCLE');
      expect(await auditRowsOf(res.requestId)).toEqual([]);
    }
    expect(await storedItem(a)).toMatchObject({ parent_key: null, title: a });
    expect(await storedItem(b)).toMatchObject({ parent_key: a, title: b });
    expect(await storedItem(c)).toMatchObject({ parent_key: b, title: c });
    // Moving a leaf under its grandparent is fine.
    expect((await patch(session.accessToken, c, { parentKey: a })).status).toBe(200);
  });

  it('answers 404 for an unknown item and 400 for an unknown parent, changing nothing', async () => {
    const { session } = await signedInAdmin();
    const missing = await patch(session.accessToken, 'nt-does-not-exist', { title: 'X' });
    expectError(missing, 404, 'NAVIGATION_ITEM_NOT_FOUND');
    expect(await auditRowsOf(missing.requestId)).toEqual([]);
    const key = (await createItem(session.accessToken, { key: testKey('stay') })).key;
    const noParent = await patch(session.accessToken, key, { parentKey: 'nt-no-such-parent', title: 'Changed' });
    expectError(noParent, 400, 'NAVIGATION_PARENT_NOT_FOUND');
    expect(await storedItem(key)).toMatchObject({ title: key, parent_key: null });
    expect(await auditRowsOf(noParent.requestId)).toEqual([]);
  });

  it('rejects empty or invalid changes, and callers without navigation:manage', async () => {
    const { session } = await signedInAdmin();
    const key = (await createItem(session.accessToken, { key: testKey('valid') })).key;
    expectError(await patch(session.accessToken, key, {}), 400, 'VALIDATION_ERROR');
    expectError(await patch(session.accessToken, key, { permissions: ['users:read'] }), 400, 'VALIDATION_ERROR');
    expectError(await patch(session.accessToken, key, { sortOrder: 1.5 }), 400, 'VALIDATION_ERROR');
    expectError(await patch(session.accessToken, 'bad key!', { title: 'X' }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/navigation/items/${key}`, { method: 'PATCH', body: { title: 'X' } }), 401, 'UNAUTHORIZED');
    const { session: user } = await signedInUser();
    expectError(await patch(user.accessToken, key, { title: 'X' }), 403, 'FORBIDDEN');
    expect(await storedItem(key)).toMatchObject({ title: key });
  });
});
