import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { auditRowsOf, createItem, fresh, storedItem, testKey } from './helpers';

describe('POST /api/navigation/items', () => {
  it('creates an item with its permissions in one round trip, with an audit row', async () => {
    const admin = await signedInAdmin();
    const { session } = admin;
    const parent = await createItem(session.accessToken, { key: testKey('parent'), type: 'collapsible' });
    const key = testKey('child');
    const body = {
      key,
      title: 'Reports',
      type: 'item',
      parentKey: parent.key,
      icon: 'heroicons_outline:document-chart-bar',
      link: '/reports',
      target: '_blank',
      sortOrder: 7,
      exactMatch: true,
      badge: { title: 'Beta', classes: 'bg-amber', variant: 'warning' },
      showIn: { compact: false },
      meta: { feature: 'reports' },
      permissions: ['users:read', 'dashboard:view'],
    };
    const res = await api('/api/navigation/items', { method: 'POST', token: await fresh(admin), body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toEqual({
      key,
      parentKey: parent.key,
      title: 'Reports',
      type: 'item',
      icon: 'heroicons_outline:document-chart-bar',
      link: '/reports',
      target: '_blank',
      sortOrder: 7,
      disabled: false,
      hidden: false,
      exactMatch: true,
      badge: { title: 'Beta', classes: 'bg-amber', variant: 'warning' },
      showIn: { default: true, compact: false, horizontal: true, mobile: true },
      meta: { feature: 'reports' },
      permissions: ['dashboard:view', 'users:read'],
      updatedAt: expect.any(String),
    });
    expect(await storedItem(key)).toMatchObject({ parent_key: parent.key, permissions: 'dashboard:view,users:read' });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    const audit = await auditRowsOf(res.requestId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', entity_type: 'navigation_item', entity_id: key });
  });

  it('refuses a duplicate key (409), an unknown parent or permission (400), and writes nothing', async () => {
    const { session } = await signedInAdmin();
    const taken = await api('/api/navigation/items', { method: 'POST', token: session.accessToken, body: { key: 'dashboard', title: 'Again', type: 'item' } });
    expectError(taken, 409, 'NAVIGATION_KEY_EXISTS');

    const key = testKey('refused');
    const noParent = await api('/api/navigation/items', { method: 'POST', token: session.accessToken, body: { key, title: 'X', type: 'item', parentKey: 'nt-no-such-parent' } });
    expectError(noParent, 400, 'NAVIGATION_PARENT_NOT_FOUND');
    const unknown = await api('/api/navigation/items', {
      method: 'POST',
      token: session.accessToken,
      body: { key, title: 'X', type: 'item', permissions: ['users:read', 'reports:export', 'nope:nope'] },
    });
    expectError(unknown, 400, 'UNKNOWN_PERMISSION');
    expect(unknown.body.error.details).toEqual({ permissions: ['nope:nope', 'reports:export'] });
    expect(await storedItem(key)).toBeUndefined();
    for (const res of [taken, noParent, unknown]) expect(await auditRowsOf(res.requestId)).toEqual([]);
  });

  it('rejects invalid bodies with every issue listed', async () => {
    const { session } = await signedInAdmin();
    const bad = await api('/api/navigation/items', {
      method: 'POST',
      token: session.accessToken,
      body: { key: 'has space', title: '', type: 'widget', target: '_new', permissions: ['users.read'], extra: 1 },
    });
    expectError(bad, 400, 'VALIDATION_ERROR');
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.key', 'body.title', 'body.type', 'body.target', 'body.permissions.0', 'body']));
    const duplicates = await api('/api/navigation/items', { method: 'POST', token: session.accessToken, body: { key: testKey(), title: 'X', type: 'item', permissions: ['users:read', 'users:read'] } });
    expectError(duplicates, 400, 'VALIDATION_ERROR');
    const bigMeta = await api('/api/navigation/items', { method: 'POST', token: session.accessToken, body: { key: testKey(), title: 'X', type: 'item', meta: { blob: 'x'.repeat(5000) } } });
    expectError(bigMeta, 400, 'VALIDATION_ERROR');
  });

  it('answers 401 without a token and 403 without navigation:manage', async () => {
    const body = { key: testKey(), title: 'X', type: 'item' };
    expectError(await api('/api/navigation/items', { method: 'POST', body }), 401, 'UNAUTHORIZED');
    const { session } = await signedInUser();
    expectError(await api('/api/navigation/items', { method: 'POST', token: session.accessToken, body }), 403, 'FORBIDDEN');
    expect(await storedItem(body.key)).toBeUndefined();
  });
});
