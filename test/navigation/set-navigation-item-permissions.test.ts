import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { auditRowsOf, createItem, fresh, storedItem, testKey } from './helpers';

const put = (token: string | undefined, key: string, permissions: unknown) =>
  api(`/api/navigation/items/${key}/permissions`, { method: 'PUT', ...(token ? { token } : {}), body: { permissions } });

describe('PUT /api/navigation/items/{key}/permissions', () => {
  it('replaces the permissions (an empty list opens the item to everyone), in one round trip', async () => {
    const admin = await signedInAdmin();
    const { session } = admin;
    const key = (await createItem(session.accessToken, { key: testKey('perm'), permissions: ['users:read'] })).key;
    const res = await put(await fresh(admin), key, ['system:logs', 'roles:read', '*:*']);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.permissions).toEqual(['*:*', 'roles:read', 'system:logs']);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    expect(await auditRowsOf(res.requestId)).toMatchObject([{ action: 'update', entity_type: 'navigation_item', entity_id: key }]);
    expect((await put(session.accessToken, key, [])).body.data.permissions).toEqual([]);
    expect((await storedItem(key))?.permissions).toBeNull();
  });

  it('refuses unknown permissions (400) and unknown items (404), changing nothing', async () => {
    const { session } = await signedInAdmin();
    const key = (await createItem(session.accessToken, { key: testKey('perm'), permissions: ['users:read'] })).key;
    const unknown = await put(session.accessToken, key, ['roles:read', 'reports:export']);
    expectError(unknown, 400, 'UNKNOWN_PERMISSION');
    expect(unknown.body.error.details).toEqual({ permissions: ['reports:export'] });
    expect((await storedItem(key))?.permissions).toBe('users:read');
    expect(await auditRowsOf(unknown.requestId)).toEqual([]);
    expectError(await put(session.accessToken, 'nt-missing-item', ['users:read']), 404, 'NAVIGATION_ITEM_NOT_FOUND');
    expectError(await put(session.accessToken, key, ['users.read']), 400, 'VALIDATION_ERROR');
  });

  it('answers 401 without a token and 403 without navigation:manage', async () => {
    const { session: admin } = await signedInAdmin();
    const key = (await createItem(admin.accessToken, { key: testKey('perm') })).key;
    expectError(await put(undefined, key, []), 401, 'UNAUTHORIZED');
    const { session } = await signedInUser();
    expectError(await put(session.accessToken, key, ['users:read']), 403, 'FORBIDDEN');
    expect((await storedItem(key))?.permissions).toBeNull();
  });
});
