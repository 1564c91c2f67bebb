import { describe, expect, it } from 'vitest';
import { api, expectError, signedInAdmin, signedInUser } from '../harness';
import { expectNoRoundTrip } from './helpers';

describe('GET /api/navigation/items', () => {
  it('lists every item as stored, parents before children, for navigation:manage', async () => {
    const admin = await signedInAdmin();
    const res = await api('/api/navigation/items', { token: admin.session.accessToken });
    expect(res.status).toBe(200);
    const items = res.body.data as { key: string; parentKey: string | null }[];
    const seeded = items.filter((i) => !i.key.startsWith('nt-'));
    expect(seeded).toHaveLength(23);
    const position = new Map(items.map((item, index) => [item.key, index]));
    for (const item of items) if (item.parentKey) expect(position.get(item.parentKey)!).toBeLessThan(position.get(item.key)!);
    expect(items.find((i) => i.key === 'analytics')).toEqual({
      key: 'analytics',
      parentKey: null,
      title: 'Analytics',
      type: 'item',
      icon: 'heroicons_outline:chart-bar',
      link: '/analytics',
      target: '_self',
      sortOrder: 2,
      disabled: false,
      hidden: false,
      exactMatch: false,
      badge: null,
      showIn: { default: true, compact: false, horizontal: true, mobile: true },
      meta: null,
      permissions: ['dashboard:analytics'],
      updatedAt: expect.any(String),
    });
    expect(items.find((i) => i.key === 'users-roles')).toMatchObject({ parentKey: 'user-management', permissions: ['roles:read'] });
    await expectNoRoundTrip('/api/navigation/items', admin);
  });

  it('answers 401 without a token and 403 without navigation:manage', async () => {
    expectError(await api('/api/navigation/items'), 401, 'UNAUTHORIZED');
    const { session } = await signedInUser();
    expectError(await api('/api/navigation/items', { token: session.accessToken }), 403, 'FORBIDDEN');
  });
});
