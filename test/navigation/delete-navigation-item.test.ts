import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { auditRowsOf, createItem, findItem, fresh, storedItem, testKey } from './helpers';

describe('DELETE /api/navigation/items/{key}', () => {
  it('deletes the item with its whole subtree, permissions and preferences, in one round trip', async () => {
    const adminCaller = await signedInAdmin();
    const admin = adminCaller.session;
    const root = (await createItem(admin.accessToken, { key: testKey('root'), type: 'collapsible', permissions: ['users:read'] })).key;
    const child = (await createItem(admin.accessToken, { key: testKey('child'), type: 'collapsible', parentKey: root })).key;
    const grandchild = (await createItem(admin.accessToken, { key: testKey('grandchild'), parentKey: child })).key;
    const { session: user } = await signedInUser();
    expect((await api(`/api/navigation/preferences/${grandchild}`, { method: 'PUT', token: user.accessToken, body: { pinned: true } })).status).toBe(200);

    const res = await api(`/api/navigation/items/${root}`, { method: 'DELETE', token: await fresh(adminCaller) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.key).toBe(root);
    expect(res.body.data.deletedKeys[0]).toBe(root);
    expect([...res.body.data.deletedKeys].sort()).toEqual([root, child, grandchild].sort());
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 2 });
    for (const key of [root, child, grandchild]) expect(await storedItem(key)).toBeUndefined();
    expect(await sql('select 1 from user_navigation_preferences where user_id = $1', [user.user.id])).toEqual([]);
    expect(await auditRowsOf(res.requestId)).toMatchObject([{ action: 'delete', entity_type: 'navigation_item', entity_id: root }]);
    const full = await api('/api/navigation?includeDisabled=true', { token: admin.accessToken });
    expect(findItem(full.body.data.default, child)).toBeUndefined();
    expect((await api('/api/navigation/preferences', { token: user.accessToken })).body.data).toEqual([]);
  });

  it('answers 404 for an unknown item, 401 without a token and 403 without navigation:manage', async () => {
    const { session: admin } = await signedInAdmin();
    const missing = await api('/api/navigation/items/nt-never-was', { method: 'DELETE', token: admin.accessToken });
    expectError(missing, 404, 'NAVIGATION_ITEM_NOT_FOUND');
    expect(await auditRowsOf(missing.requestId)).toEqual([]);
    const key = (await createItem(admin.accessToken, { key: testKey('kept') })).key;
    expectError(await api(`/api/navigation/items/${key}`, { method: 'DELETE' }), 401, 'UNAUTHORIZED');
    const { session: user } = await signedInUser();
    expectError(await api(`/api/navigation/items/${key}`, { method: 'DELETE', token: user.accessToken }), 403, 'FORBIDDEN');
    expect(await storedItem(key)).toBeDefined();
  });
});
