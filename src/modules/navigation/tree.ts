import type { badgeVariants, navigationItemTypes, navigationTargets } from '../../../drizzle';
import { permits } from '../auth/services/principal';

/*
 * The navigation tree as pure data: what is cached in KV (one flat record per item), and the
 * functions that turn it into the API's nested `NavigationItem` trees. No I/O here.
 */

export const navigationTypes = ['default', 'compact', 'horizontal', 'mobile'] as const;
export type NavigationType = (typeof navigationTypes)[number];

export const isNavigationType = (value: string): value is NavigationType => (navigationTypes as readonly string[]).includes(value);

/** One navigation item as stored (and cached), with its required permissions (`resource:action`). */
export interface NavigationRecord {
  id: string;
  parentId: string | null;
  parentKey: string | null;
  key: string;
  title: string;
  type: (typeof navigationItemTypes)[number];
  icon: string | null;
  link: string | null;
  target: (typeof navigationTargets)[number];
  sortOrder: number;
  disabled: boolean;
  hidden: boolean;
  exactMatch: boolean;
  badge: { title: string; classes: string | null; variant: (typeof badgeVariants)[number] | null } | null;
  showIn: Record<NavigationType, boolean>;
  meta: Record<string, unknown> | null;
  permissions: string[];
  updatedAt: string;
}

/** One row of `user_navigation_preferences`, by item id. */
export interface NavigationPreference {
  itemId: string;
  hidden: boolean | null;
  customSortOrder: number | null;
  pinned: boolean;
  updatedAt: string;
}

/** The API's item: `id` is the item key; optional parts are left out when empty, as in the original. */
export interface NavigationItem {
  id: string;
  title: string;
  type: NavigationRecord['type'];
  icon?: string;
  link?: string;
  target?: Exclude<NavigationRecord['target'], '_self'>;
  disabled: boolean;
  hidden: boolean;
  exactMatch: boolean;
  badge?: { title: string; classes?: string; variant: NonNullable<NonNullable<NavigationRecord['badge']>['variant']> };
  permissions?: string[];
  meta?: Record<string, unknown>;
  /** Only in the caller's own view (`GET /api/navigation/user`). */
  pinned?: boolean;
  children?: NavigationItem[];
}

export type NavigationResponse = Partial<Record<NavigationType, NavigationItem[]>>;

export interface Viewer {
  /** The caller's effective permissions, wildcards (`*:*`, `resource:*`) included. */
  permissions: readonly string[];
  preferences: readonly NavigationPreference[];
}

export interface ViewOptions {
  type: NavigationType;
  /** Full tree only: keep disabled items. A viewer never sees disabled items. */
  includeDisabled?: boolean;
  /** Present for the caller's own view: filters by permissions, hidden flags and preferences. */
  viewer?: Viewer;
}

/** No permissions: visible to everyone; otherwise any one of them suffices. */
export const canSee = (granted: readonly string[], required: readonly string[]) =>
  required.length === 0 || required.some((permission) => permits(granted, permission));

function isShown(item: NavigationRecord, options: ViewOptions, preference: NavigationPreference | undefined): boolean {
  if (!item.showIn[options.type]) return false;
  const { viewer } = options;
  if (!viewer) return options.includeDisabled === true || !item.disabled;
  return !item.disabled && !item.hidden && preference?.hidden !== true && canSee(viewer.permissions, item.permissions);
}

function toItem(record: NavigationRecord, children: NavigationItem[], pinned: boolean | undefined): NavigationItem {
  const item: NavigationItem = {
    id: record.key,
    title: record.title,
    type: record.type,
    disabled: record.disabled,
    hidden: record.hidden,
    exactMatch: record.exactMatch,
  };
  if (record.icon) item.icon = record.icon;
  if (record.link) item.link = record.link;
  if (record.target !== '_self') item.target = record.target;
  if (record.badge) {
    item.badge = { title: record.badge.title, variant: record.badge.variant ?? 'default' };
    if (record.badge.classes) item.badge.classes = record.badge.classes;
  }
  if (record.permissions.length > 0) item.permissions = [...record.permissions];
  if (record.meta) item.meta = record.meta;
  if (pinned !== undefined) item.pinned = pinned;
  if (children.length > 0) item.children = children;
  return item;
}

/**
 * One variant of the tree: items filtered as `options` say, children nested under their parents,
 * siblings sorted (pinned first for a viewer, then by the custom or default sort order, then by
 * key). An item whose parent is filtered out is dropped with its whole subtree.
 */
export function buildNavigation(records: readonly NavigationRecord[], options: ViewOptions): NavigationItem[] {
  const preferences = new Map(options.viewer?.preferences.map((p) => [p.itemId, p]));
  const shown = records.filter((record) => isShown(record, options, preferences.get(record.id)));
  const children = new Map<string | null, NavigationRecord[]>();
  for (const record of shown) {
    const siblings = children.get(record.parentId);
    if (siblings) siblings.push(record);
    else children.set(record.parentId, [record]);
  }
  const order = (record: NavigationRecord) => preferences.get(record.id)?.customSortOrder ?? record.sortOrder;
  const pinned = (record: NavigationRecord) => (preferences.get(record.id)?.pinned ? 0 : 1);
  const compare = (a: NavigationRecord, b: NavigationRecord) =>
    (options.viewer ? pinned(a) - pinned(b) : 0) || order(a) - order(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

  // Only items reachable from a root are built: orphans (and items in a cycle) never are.
  const build = (parentId: string | null): NavigationItem[] =>
    [...(children.get(parentId) ?? [])]
      .sort(compare)
      .map((record) => toItem(record, build(record.id), options.viewer ? preferences.get(record.id)?.pinned === true : undefined));
  return build(null);
}

/** `{ [type]: items }` for one requested type, or for all four when `type` is omitted. */
export function navigationResponse(
  records: readonly NavigationRecord[],
  type: NavigationType | undefined,
  options: Omit<ViewOptions, 'type'>,
): NavigationResponse {
  const types = type ? [type] : navigationTypes;
  return Object.fromEntries(types.map((t) => [t, buildNavigation(records, { ...options, type: t })]));
}

/** Parents before children (depth first, in default sort order); items unreachable from a root last. */
export function depthFirst(records: readonly NavigationRecord[]): NavigationRecord[] {
  const byParent = new Map<string | null, NavigationRecord[]>();
  for (const record of records) byParent.set(record.parentId, [...(byParent.get(record.parentId) ?? []), record]);
  const out: NavigationRecord[] = [];
  const seen = new Set<string>();
  const visit = (parentId: string | null) => {
    for (const record of (byParent.get(parentId) ?? []).sort((a, b) => a.sortOrder - b.sortOrder || (a.key < b.key ? -1 : 1))) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      out.push(record);
      visit(record.id);
    }
  };
  visit(null);
  return [...out, ...records.filter((r) => !seen.has(r.id))];
}
