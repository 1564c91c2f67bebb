import { z } from '@hono/zod-openapi';
import { badgeVariants, navigationItemTypes, navigationTargets } from '../../../drizzle';
import { navigationTypes, type NavigationPreference, type NavigationRecord } from './tree';

/* ---------- shared pieces ---------- */

export const NavigationKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'Letters, digits, - and _ (starting with a letter or digit)')
  .openapi({ description: 'The item key: its public id', example: 'settings-profile' });

export const PermissionNameSchema = z
  .string()
  .max(151)
  .regex(/^[A-Za-z0-9_*-]+:[A-Za-z0-9_*-]+$/, 'A permission is written resource:action')
  .openapi({ description: 'A permission written `resource:action`, as stored', example: 'settings:view' });

const permissionList = z
  .array(PermissionNameSchema)
  .max(50)
  .refine((list) => new Set(list).size === list.length, { message: 'Permissions must be unique' });

const sortOrder = z.number().int().min(-1_000_000).max(1_000_000);

const MetaSchema = z
  .record(z.string(), z.unknown())
  .refine((meta) => JSON.stringify(meta).length <= 4096, { message: 'meta must serialise to at most 4096 characters' })
  .openapi({ description: 'Free-form data for the client (at most 4 KB as JSON)', example: { analytics: 'nav-settings' } });

const ShowInSchema = z.strictObject({
  default: z.boolean().optional(),
  compact: z.boolean().optional(),
  horizontal: z.boolean().optional(),
  mobile: z.boolean().optional(),
});

const BadgeInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(50).openapi({ example: 'New' }),
  classes: z.string().max(200).nullable().optional(),
  variant: z.enum(badgeVariants).nullable().optional(),
});

export const KeyParamsSchema = z.object({
  key: NavigationKeySchema.openapi({ param: { name: 'key', in: 'path' }, example: 'dashboard' }),
});

/* ---------- reading ---------- */

const typeQuery = z
  .string()
  .max(50)
  .optional()
  .openapi({
    description: 'One variant of the tree; all four when omitted. Another value answers 400 INVALID_NAVIGATION_TYPE.',
    enum: [...navigationTypes],
    example: 'default',
  });

export const GetNavigationQuerySchema = z.strictObject({
  type: typeQuery,
  includeDisabled: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => value === 'true' || value === '1')
    .openapi({ description: 'Keep disabled items (default false)', example: 'false' }),
});

export const GetUserNavigationQuerySchema = z.strictObject({ type: typeQuery });

const BadgeSchema = z.object({
  title: z.string(),
  classes: z.string().optional(),
  variant: z.enum(badgeVariants),
});

export const NavigationItemSchema = z
  .object({
    id: z.string().openapi({ description: 'The item key', example: 'dashboard' }),
    title: z.string().openapi({ example: 'Dashboard' }),
    type: z.enum(navigationItemTypes),
    icon: z.string().optional().openapi({ example: 'heroicons_outline:chart-pie' }),
    link: z.string().optional().openapi({ example: '/dashboard' }),
    target: z.enum(navigationTargets).exclude(['_self']).optional().openapi({ description: 'Left out when `_self`' }),
    disabled: z.boolean(),
    hidden: z.boolean(),
    exactMatch: z.boolean(),
    badge: BadgeSchema.optional().openapi({ description: 'Present when the item has a badge title; variant defaults to `default`' }),
    permissions: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Required permissions (`resource:action`; any one suffices); left out when the item is open to everyone', example: ['dashboard:view'] }),
    meta: z.record(z.string(), z.unknown()).optional(),
    pinned: z.boolean().optional().openapi({ description: 'Only in `GET /api/navigation/user`: pinned by the caller (pinned items come first among their siblings)' }),
    get children() {
      return z.array(NavigationItemSchema).optional().openapi({ description: 'Nested items, sorted; left out when there are none' });
    },
  })
  .openapi('NavigationItem');

export const NavigationResponseSchema = z
  .object({
    default: z.array(NavigationItemSchema).optional(),
    compact: z.array(NavigationItemSchema).optional(),
    horizontal: z.array(NavigationItemSchema).optional(),
    mobile: z.array(NavigationItemSchema).optional(),
  })
  .openapi('NavigationResponse');

/* ---------- administration ---------- */

export const NavigationItemRecordSchema = z
  .object({
    key: z.string().openapi({ example: 'settings-profile' }),
    parentKey: z.string().nullable().openapi({ example: 'settings' }),
    title: z.string(),
    type: z.enum(navigationItemTypes),
    icon: z.string().nullable(),
    link: z.string().nullable(),
    target: z.enum(navigationTargets),
    sortOrder: z.number().int(),
    disabled: z.boolean(),
    hidden: z.boolean(),
    exactMatch: z.boolean(),
    badge: z.object({ title: z.string(), classes: z.string().nullable(), variant: z.enum(badgeVariants).nullable() }).nullable(),
    showIn: z.object({ default: z.boolean(), compact: z.boolean(), horizontal: z.boolean(), mobile: z.boolean() }),
    meta: z.record(z.string(), z.unknown()).nullable(),
    permissions: z.array(z.string()).openapi({ example: ['profile:read'] }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('NavigationItemRecord');

export const CreateNavigationItemBodySchema = z
  .strictObject({
    key: NavigationKeySchema,
    title: z.string().trim().min(1).max(200).openapi({ example: 'Reports' }),
    type: z.enum(navigationItemTypes),
    parentKey: NavigationKeySchema.nullable().optional().openapi({ description: 'The parent item; a root item when omitted or null' }),
    icon: z.string().max(100).nullable().optional().openapi({ example: 'heroicons_outline:document-chart-bar' }),
    link: z.string().max(500).nullable().optional().openapi({ example: '/reports' }),
    target: z.enum(navigationTargets).optional().openapi({ description: 'Default `_self`' }),
    sortOrder: sortOrder.optional().openapi({ description: 'Default 0', example: 5 }),
    disabled: z.boolean().optional(),
    hidden: z.boolean().optional(),
    exactMatch: z.boolean().optional(),
    badge: BadgeInputSchema.nullable().optional(),
    showIn: ShowInSchema.optional().openapi({ description: 'The variants that show the item (each true by default)' }),
    meta: MetaSchema.nullable().optional(),
    permissions: permissionList.optional().openapi({ description: 'Required permissions; none means visible to everyone' }),
  })
  .openapi('CreateNavigationItemRequest');

export const UpdateNavigationItemBodySchema = z
  .strictObject({
    key: NavigationKeySchema.optional().openapi({ description: 'A new key' }),
    title: z.string().trim().min(1).max(200).optional(),
    type: z.enum(navigationItemTypes).optional(),
    parentKey: NavigationKeySchema.nullable().optional().openapi({ description: 'Move under another item (null: to the root). An item cannot move under itself or its descendants.' }),
    icon: z.string().max(100).nullable().optional(),
    link: z.string().max(500).nullable().optional(),
    target: z.enum(navigationTargets).optional(),
    sortOrder: sortOrder.optional(),
    disabled: z.boolean().optional(),
    hidden: z.boolean().optional(),
    exactMatch: z.boolean().optional(),
    badge: BadgeInputSchema.nullable().optional().openapi({ description: 'null removes the badge' }),
    showIn: ShowInSchema.optional(),
    meta: MetaSchema.nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' })
  .openapi('UpdateNavigationItemRequest');

export const SetNavigationPermissionsBodySchema = z
  .strictObject({ permissions: permissionList.openapi({ description: 'The complete list; empty makes the item visible to everyone' }) })
  .openapi('SetNavigationPermissionsRequest');

export const ReorderNavigationBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ key: NavigationKeySchema, sortOrder }))
      .min(1)
      .max(500)
      .refine((items) => new Set(items.map((i) => i.key)).size === items.length, { message: 'Each key at most once' }),
  })
  .openapi('ReorderNavigationRequest');

export const DeletedNavigationItemSchema = z
  .object({
    key: z.string(),
    deletedKeys: z.array(z.string()).openapi({ description: 'The item and its whole subtree (deleted with it)', example: ['system', 'system-logs'] }),
  })
  .openapi('DeletedNavigationItem');

export const ReorderResultSchema = z.object({ updated: z.number().int() }).openapi('ReorderNavigationResult');

/* ---------- preferences ---------- */

export const NavigationPreferenceSchema = z
  .object({
    key: z.string().openapi({ example: 'analytics' }),
    hidden: z.boolean().nullable(),
    customSortOrder: z.number().int().nullable(),
    pinned: z.boolean(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('NavigationPreference');

export const UpdateNavigationPreferenceBodySchema = z
  .strictObject({
    hidden: z.boolean().nullable().optional().openapi({ description: 'Hide the item from your navigation (false or null shows it again)' }),
    customSortOrder: sortOrder.nullable().optional().openapi({ description: 'Your order among its siblings; null restores the default' }),
    pinned: z.boolean().optional().openapi({ description: 'Pinned items come first among their siblings' }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' })
  .openapi('UpdateNavigationPreferenceRequest');

export const ResetPreferencesResultSchema = z.object({ removed: z.number().int() }).openapi('ResetNavigationPreferencesResult');

/* ---------- mappers ---------- */

const isoTimestamp = (value: string) => new Date(value).toISOString();

/** A stored item as the administration API shows it (parent by key, no internal ids). */
export function toItemRecord(record: NavigationRecord): z.infer<typeof NavigationItemRecordSchema> {
  return {
    key: record.key,
    parentKey: record.parentKey,
    title: record.title,
    type: record.type,
    icon: record.icon,
    link: record.link,
    target: record.target,
    sortOrder: record.sortOrder,
    disabled: record.disabled,
    hidden: record.hidden,
    exactMatch: record.exactMatch,
    badge: record.badge,
    showIn: record.showIn,
    meta: record.meta,
    permissions: record.permissions,
    updatedAt: isoTimestamp(record.updatedAt),
  };
}

export function toPreference(preference: NavigationPreference, key: string): z.infer<typeof NavigationPreferenceSchema> {
  return {
    key,
    hidden: preference.hidden,
    customSortOrder: preference.customSortOrder,
    pinned: preference.pinned,
    updatedAt: isoTimestamp(preference.updatedAt),
  };
}
