import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { auditRowsOf, createItem, findItem, fresh, storedItem, testKey } from './helpers';

const reorder = (token: string | undefined, items: unknown) =>
  api('/api/navigation/items/reorder', { method: 'POST', ...(token ? { token } : {}), body: { items } });

describe('POST /api/navigation/items/reorder', () => {
  it('sets many sort orders in one round trip, and the tree follows', async () => {
    const admin = await signedInAdmin();
    const { session } = admin;
    const parent = (await createItem(session.accessToken, { key: testKey('list'), type: 'group' })).key;
    const [x, y, z] = [testKey('x'), testKey('y'), testKey('z')];
    for (const [key, sortOrder] of [[x, 1], [y, 2], [z, 3]] as const) await createItem(session.accessToken, { key, parentKey: parent, sortOrder });
    const res = await reorder(await fresh(admin), [
      { key: z, sortOrder: 1 },
      { key: x, sortOrder: 2 },
      { key: y, sortOrder: 3 },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ updated: 3 });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 2 });
    expect(await auditRowsOf(res.requestId)).toMatchObject([{ action: 'update', entity_type: 'navigation_item' }]);
    const tree = await api('/api/navigation/user?type=default', { token: session.accessToken });
    expect(findItem(tree.body.data.default, parent)?.children?.map((c) => c.id)).toEqual([z, x, y]);
  });

  it('is all or nothing: an unknown key answers 404 listing it and changes nothing', async () => {
    const { session } = await signedInAdmin();
    const key = (await createItem(session.accessToken, { key: testKey('solo'), sortOrder: 5 })).key;
    const res = await reorder(session.accessToken, [
      { key, sortOrder: 9 },
      { key: 'nt-ghost', sortOrder: 1 },
    ]);
    expectError(res, 404, 'NAVIGATION_ITEM_NOT_FOUND');
    expect(res.body.error.details).toEqual({ keys: ['nt-ghost'] });
    expect((await storedItem(key))?.sort_order).toBe('5');
    expect(await auditRowsOf(res.requestId)).toEqual([]);
  });

  it('rejects empty lists, repeated keys and callers without navigation:manage', async () => {
    const { session } = await signedInAdmin();
    expectError(await reorder(session.accessToken, []), 400, 'VALIDATION_ERROR');
    expectError(await reorder(session.accessToken, [{ key: 'dashboard', sortOrder: 1 }, { key: 'dashboard', sortOrder: 2 }]), 400, 'VALIDATION_ERROR');
    expectError(await reorder(session.accessToken, [{ key: 'dashboard' }]), 400, 'VALIDATION_ERROR');
    expectError(await reorder(undefined, [{ key: 'dashboard', sortOrder: 1 }]), 401, 'UNAUTHORIZED');
    const { session: user } = await signedInUser();
    expectError(await reorder(user.accessToken, [{ key: 'dashboard', sortOrder: 99 }]), 403, 'FORBIDDEN');
    expect((await storedItem('dashboard'))?.sort_order).toBe('1');
  });
});
