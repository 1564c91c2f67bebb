import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { auditRowsOf, createItem, expectNoRoundTrip, findItem, fresh, measured, testKey, type NavItem } from './helpers';

const setPreference = (token: string | undefined, key: string, body: unknown) =>
  api(`/api/navigation/preferences/${key}`, { method: 'PUT', ...(token ? { token } : {}), body });

/** A group with three children a, b, c (sort orders 1, 2, 3), open to everyone. */
async function group() {
  const { session: admin } = await signedInAdmin();
  const parent = (await createItem(admin.accessToken, { key: testKey('group'), type: 'group', sortOrder: 800 })).key;
  const [a, b, c] = [testKey('a'), testKey('b'), testKey('c')];
  for (const [key, sortOrder] of [[a, 1], [b, 2], [c, 3]] as const) await createItem(admin.accessToken, { key, parentKey: parent, sortOrder });
  return { parent, a, b, c };
}

async function children(token: string, parent: string) {
  const res = await api('/api/navigation/user?type=default', { token });
  expect(res.status).toBe(200);
  const found = findItem(res.body.data.default, parent);
  return found ? (found.children ?? []).map((c: NavItem) => (c.pinned ? `${c.id}*` : c.id)) : null;
}

describe('PUT /api/navigation/preferences/{key}', () => {
  it('hides and unhides, reorders and pins items in the caller’s navigation only', async () => {
    const { parent, a, b, c } = await group();
    const me = await signedInUser();
    const { session: other } = await signedInUser();
    const token = me.session.accessToken;
    expect(await children(token, parent)).toEqual([a, b, c]);

    const hide = await setPreference(await fresh(me), b, { hidden: true });
    expect(hide.status, JSON.stringify(hide.body)).toBe(200);
    expect(hide.body.data).toEqual({ key: b, hidden: true, customSortOrder: null, pinned: false, updatedAt: expect.any(String) });
    expect(await dbStats(hide.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    expect(await auditRowsOf(hide.requestId)).toMatchObject([{ action: 'update', entity_type: 'navigation_preference', entity_id: b }]);
    expect(await children(token, parent)).toEqual([a, c]);

    expect((await setPreference(token, b, { hidden: false })).body.data.hidden).toBe(false);
    expect(await children(token, parent)).toEqual([a, b, c]);

    await setPreference(token, c, { customSortOrder: 0 });
    expect(await children(token, parent)).toEqual([c, a, b]);

    const pin = await setPreference(token, b, { pinned: true });
    expect(pin.body.data).toMatchObject({ key: b, hidden: false, customSortOrder: null, pinned: true });
    expect(await children(token, parent)).toEqual([`${b}*`, c, a]);

    // Hiding a parent removes its subtree; pinning a root puts it first among the roots.
    await setPreference(token, parent, { hidden: true });
    expect(await children(token, parent)).toBeNull();
    await setPreference(token, parent, { hidden: null, pinned: true });
    const roots = (await api('/api/navigation/user?type=default', { token })).body.data.default as NavItem[];
    expect(roots[0]).toMatchObject({ id: parent, pinned: true });

    // Nobody else's navigation changed.
    expect(await children(other.accessToken, parent)).toEqual([a, b, c]);
    expect((await api('/api/navigation/preferences', { token: other.accessToken })).body.data).toEqual([]);
  });

  it('invalidates the caller’s cached preferences: the next read loads them in one round trip, then none', async () => {
    const { a } = await group();
    const me = await signedInUser();
    await expectNoRoundTrip('/api/navigation/user?type=default', me);
    expect((await setPreference(me.session.accessToken, a, { pinned: true })).status).toBe(200);
    const next = await measured('/api/navigation/user?type=default', me);
    expect(next.stats).toEqual({ roundTrips: 1, statements: 1 });
    expect(findItem(next.res.body.data.default, a)?.pinned).toBe(true);
    await expectNoRoundTrip('/api/navigation/user?type=default', me);
  });

  it('answers 404 for an unknown item and 400 for empty or invalid changes, writing nothing', async () => {
    const { a } = await group();
    const { session } = await signedInUser();
    const missing = await setPreference(session.accessToken, 'nt-no-such-item', { pinned: true });
    expectError(missing, 404, 'NAVIGATION_ITEM_NOT_FOUND');
    expect(await auditRowsOf(missing.requestId)).toEqual([]);
    expectError(await setPreference(session.accessToken, a, {}), 400, 'VALIDATION_ERROR');
    expectError(await setPreference(session.accessToken, a, { pinned: 'yes' }), 400, 'VALIDATION_ERROR');
    expectError(await setPreference(session.accessToken, a, { customSortOrder: 1.5 }), 400, 'VALIDATION_ERROR');
    expectError(await setPreference(session.accessToken, a, { hidden: true, userId: session.user.id }), 400, 'VALIDATION_ERROR');
    expect((await api('/api/navigation/preferences', { token: session.accessToken })).body.data).toEqual([]);
    expectError(await setPreference(undefined, a, { pinned: true }), 401, 'UNAUTHORIZED');
  });
});
