import { describe, expect, it } from 'vitest';
import { movePointer } from '../../src/modules/navigation/services/cache';
import { buildNavigation, canSee, depthFirst, navigationResponse, type NavigationPreference, type NavigationRecord } from '../../src/modules/navigation/tree';

let ids = 0;
function record(key: string, fields: Partial<NavigationRecord> = {}): NavigationRecord {
  return {
    id: `id-${key}`,
    parentId: null,
    parentKey: null,
    key,
    title: key.toUpperCase(),
    type: 'item',
    icon: null,
    link: null,
    target: '_self',
    sortOrder: ids++,
    disabled: false,
    hidden: false,
    exactMatch: false,
    badge: null,
    showIn: { default: true, compact: true, horizontal: true, mobile: true },
    meta: null,
    permissions: [],
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}
const child = (key: string, parent: string, fields: Partial<NavigationRecord> = {}) => record(key, { parentId: `id-${parent}`, parentKey: parent, ...fields });
const pref = (key: string, fields: Partial<NavigationPreference>): NavigationPreference => ({
  itemId: `id-${key}`,
  hidden: null,
  customSortOrder: null,
  pinned: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});
type Built = { id: string; children?: Built[]; pinned?: boolean };
const shape = (items: Built[]): unknown => items.map((i) => (i.children ? { [i.id]: shape(i.children) } : i.id));

describe('canSee', () => {
  it('lets everyone see an item without permissions and needs any one permission otherwise, wildcards included', () => {
    expect(canSee([], [])).toBe(true);
    expect(canSee([], ['users:read'])).toBe(false);
    expect(canSee(['roles:read'], ['users:read', 'roles:read'])).toBe(true);
    expect(canSee(['users:*'], ['users:read'])).toBe(true);
    expect(canSee(['*:*'], ['system:logs'])).toBe(true);
    expect(canSee(['users:read'], ['users:update'])).toBe(false);
  });
});

describe('buildNavigation', () => {
  const records = [
    record('b', { sortOrder: 2 }),
    record('a', { sortOrder: 2 }),
    record('first', { sortOrder: 1 }),
    child('a2', 'a', { sortOrder: 2 }),
    child('a1', 'a', { sortOrder: 1 }),
    child('a1x', 'a1', { sortOrder: 1 }),
  ];

  it('nests children under their parents and sorts siblings by sort order, then key', () => {
    expect(shape(buildNavigation(records, { type: 'default' }))).toEqual(['first', { a: [{ a1: ['a1x'] }, 'a2'] }, 'b']);
  });

  it('filters by the variant flag and drops the subtree of a filtered parent', () => {
    const tree = [...records.filter((r) => r.key !== 'a'), record('a', { sortOrder: 2, showIn: { default: true, compact: false, horizontal: true, mobile: true } })];
    expect(shape(buildNavigation(tree, { type: 'compact' }))).toEqual(['first', 'b']);
    expect(shape(buildNavigation(tree, { type: 'horizontal' }))).toEqual(['first', { a: [{ a1: ['a1x'] }, 'a2'] }, 'b']);
  });

  it('keeps hidden items in the full tree, and disabled ones only when asked', () => {
    const tree = [record('h', { hidden: true }), record('d', { disabled: true }), child('dc', 'd')];
    expect(shape(buildNavigation(tree, { type: 'default' }))).toEqual(['h']);
    expect(shape(buildNavigation(tree, { type: 'default', includeDisabled: true }))).toEqual(['h', { d: ['dc'] }]);
  });

  it('shows a viewer only permitted, visible, enabled items, and never a child of a removed parent', () => {
    const tree = [
      record('open'),
      record('locked', { permissions: ['system:monitor'] }),
      child('locked-child', 'locked'),
      record('either', { permissions: ['users:read', 'roles:read'] }),
      record('hidden', { hidden: true }),
      child('hidden-child', 'hidden'),
      record('disabled', { disabled: true }),
    ];
    const viewer = { permissions: ['roles:read'], preferences: [] };
    expect(shape(buildNavigation(tree, { type: 'default', viewer }))).toEqual(['open', 'either']);
    expect(shape(buildNavigation(tree, { type: 'default', includeDisabled: true, viewer }))).toEqual(['open', 'either']);
    expect(shape(buildNavigation(tree, { type: 'default', viewer: { permissions: ['system:*'], preferences: [] } }))).toEqual([
      'open',
      { locked: ['locked-child'] },
    ]);
  });

  it('applies a viewer’s preferences: hidden removed, custom order, pinned first and marked', () => {
    const tree = [record('x', { sortOrder: 1 }), record('y', { sortOrder: 2 }), record('z', { sortOrder: 3 }), child('y1', 'y')];
    const view = (preferences: NavigationPreference[]) => buildNavigation(tree, { type: 'default', viewer: { permissions: [], preferences } });
    expect(shape(view([pref('y', { hidden: true })]))).toEqual(['x', 'z']);
    expect(shape(view([pref('y', { hidden: false })]))).toEqual(['x', { y: ['y1'] }, 'z']);
    expect(shape(view([pref('z', { customSortOrder: 0 })]))).toEqual(['z', 'x', { y: ['y1'] }]);
    const pinned = view([pref('z', { pinned: true }), pref('x', { customSortOrder: 9 })]);
    expect(shape(pinned)).toEqual(['z', { y: ['y1'] }, 'x']);
    expect(pinned.map((i) => i.pinned)).toEqual([true, false, false]);
    expect(buildNavigation(tree, { type: 'default' })[0]).not.toHaveProperty('pinned');
  });

  it('ignores preferences of items that no longer exist and never loops on a cycle in the data', () => {
    const tree = [record('x'), record('c1', { parentId: 'id-c2' }), record('c2', { parentId: 'id-c1' })];
    expect(shape(buildNavigation(tree, { type: 'default', viewer: { permissions: [], preferences: [pref('gone', { pinned: true })] } }))).toEqual(['x']);
  });

  it('maps records like the original: key as id, target left out when _self, badge variant defaulted, empty parts left out', () => {
    const [item] = buildNavigation(
      [
        record('full', {
          icon: 'heroicons_outline:star',
          link: '/full',
          target: '_blank',
          exactMatch: true,
          badge: { title: 'New', classes: null, variant: null },
          permissions: ['users:read'],
          meta: { beta: true },
        }),
      ],
      { type: 'default' },
    );
    expect(item).toEqual({
      id: 'full',
      title: 'FULL',
      type: 'item',
      icon: 'heroicons_outline:star',
      link: '/full',
      target: '_blank',
      disabled: false,
      hidden: false,
      exactMatch: true,
      badge: { title: 'New', variant: 'default' },
      permissions: ['users:read'],
      meta: { beta: true },
    });
    const [plain] = buildNavigation([record('plain', { badge: { title: '3', classes: 'bg-red', variant: 'error' } })], { type: 'default' });
    expect(plain).toEqual({ id: 'plain', title: 'PLAIN', type: 'item', disabled: false, hidden: false, exactMatch: false, badge: { title: '3', classes: 'bg-red', variant: 'error' } });
  });
});

describe('navigationResponse', () => {
  it('answers one variant when asked, all four otherwise', () => {
    const tree = [record('only-mobile', { showIn: { default: false, compact: false, horizontal: false, mobile: true } })];
    expect(navigationResponse(tree, 'compact', {})).toEqual({ compact: [] });
    const all = navigationResponse(tree, undefined, {});
    expect(Object.keys(all)).toEqual(['default', 'compact', 'horizontal', 'mobile']);
    expect(all.mobile?.map((i) => i.id)).toEqual(['only-mobile']);
  });
});

describe('depthFirst', () => {
  it('lists parents before their children in sort order', () => {
    const tree = [child('p2', 'p', { sortOrder: 2 }), child('p1', 'p', { sortOrder: 1 }), record('q', { sortOrder: 5 }), record('p', { sortOrder: 1 })];
    expect(depthFirst(tree).map((r) => r.key)).toEqual(['p', 'p1', 'p2', 'q']);
  });
});

describe('movePointer', () => {
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  function fakeKv(failures: number) {
    let left = failures;
    const stored: Record<string, string> = { k: 'old' };
    const kv = {
      stored,
      async put(key: string, value: string) {
        if (left-- > 0) throw new Error('KV PUT failed: 429 Too Many Requests');
        stored[key] = value;
      },
    };
    return kv;
  }

  it('moves the pointer to a new revision', async () => {
    const kv = fakeKv(0);
    expect(await movePointer({ kv: kv as unknown as KVNamespace, key: 'k', waitUntil: () => {}, logger })).toBe(true);
    expect(kv.stored.k).not.toBe('old');
  });

  it('retries once after the response when KV refuses the write (one write per second per key)', async () => {
    const pending: Promise<unknown>[] = [];
    const kv = fakeKv(1);
    expect(await movePointer({ kv: kv as unknown as KVNamespace, key: 'k', waitUntil: (p) => pending.push(p), logger, retryAfterMs: 1 })).toBe(false);
    expect(kv.stored.k).toBe('old');
    await Promise.all(pending);
    expect(kv.stored.k).not.toBe('old');
  });

  it('gives up quietly when the retry fails too', async () => {
    const pending: Promise<unknown>[] = [];
    const kv = fakeKv(2);
    await movePointer({ kv: kv as unknown as KVNamespace, key: 'k', waitUntil: (p) => pending.push(p), logger, retryAfterMs: 1 });
    await Promise.all(pending);
    expect(kv.stored.k).toBe('old');
  });
});
