import { z } from '@hono/zod-openapi';
import { NO_NUL_MESSAGE, noNul } from '../../lib/typed-value';

/**
 * The values of `user_preferences.theme` in the seed (`enum('default','dark','light','auto')`),
 * accepted whatever themes exist; any other value must name an active theme.
 */
export const SEED_THEME_VALUES = ['default', 'dark', 'light', 'auto'] as const;

/** What each value of a user's `theme` means, for the OpenAPI descriptions. */
export const THEME_PREFERENCE_DESCRIPTION =
  'The theme: one of the four seed values, or the name of any active theme (GET /api/themes). ' +
  '`default`: the default theme (`isDefault` in GET /api/themes), whichever it is. ' +
  '`light`: the default light palette (an active theme named `light` if there is one, otherwise the default theme, which is light in the seed). ' +
  '`dark`: the dark palette (the active theme named `dark`, seeded as Dark Mode; the default theme when there is none). ' +
  '`auto`: follows the client’s colour scheme (`prefers-color-scheme`): `dark` when the device is in dark mode, `light` otherwise. ' +
  'Any other value names an active theme; an unknown or inactive one is 400 INVALID_THEME.';

const Hex = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'A colour #RRGGBB');

export const ColorPaletteSchema = z
  .strictObject({ primary: Hex, accent: Hex, warn: Hex, background: Hex, surface: Hex })
  .openapi('ColorPalette', { example: { primary: '#1976d2', accent: '#ff4081', warn: '#f44336', background: '#ffffff', surface: '#f5f5f5' } });

const CssVariablesSchema = z
  .record(
    z.string().regex(/^--[a-zA-Z0-9-]{1,60}$/, 'A custom property name such as --primary'),
    z.string().max(200).regex(/^[^;{}<>\u0000]*$/, 'No ; { } < > or NUL'),
  )
  .refine((vars) => Object.keys(vars).length <= 100, { message: 'At most 100 variables' })
  .openapi({ example: { '--app-radius': '8px' } });

export const ThemeSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'dark' }),
    displayName: z.string().openapi({ example: 'Dark Mode' }),
    description: z.string().nullable(),
    previewImageUrl: z.string().nullable(),
    colorPalette: z.object({ primary: z.string(), accent: z.string(), warn: z.string(), background: z.string(), surface: z.string() }).nullable(),
    cssVariables: z.record(z.string(), z.string()).nullable(),
    isActive: z.boolean(),
    isDefault: z.boolean().openapi({ description: 'Exactly one theme is the default at any time' }),
    sortOrder: z.number().int(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('Theme');

const fields = {
  name: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'Lower-case letters, digits, _ and -')
    .refine((name) => name !== 'auto', { message: '`auto` is a preference value (follow the client’s colour scheme), not a theme name' })
    .openapi({ description: 'What user preferences name; unique; not `auto`', example: 'ocean' }),
  displayName: z.string().trim().min(1).max(100).refine(noNul, NO_NUL_MESSAGE).openapi({ example: 'Ocean' }),
  description: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable(),
  previewImageUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
  colorPalette: ColorPaletteSchema.nullable(),
  cssVariables: CssVariablesSchema.nullable(),
  isActive: z.boolean(),
  isDefault: z.boolean().openapi({ description: 'Making a theme the default also activates it, and clears the old default in the same batch' }),
  sortOrder: z.number().int().min(0).max(10_000),
};

const defaultMustBeActive = (b: { isActive?: boolean | undefined; isDefault?: boolean | undefined }) => !(b.isDefault === true && b.isActive === false);

export const CreateThemeBodySchema = z
  .strictObject({
    name: fields.name,
    displayName: fields.displayName,
    description: fields.description.optional(),
    previewImageUrl: fields.previewImageUrl.optional(),
    colorPalette: fields.colorPalette.optional(),
    cssVariables: fields.cssVariables.optional(),
    isActive: fields.isActive.optional(),
    isDefault: fields.isDefault.optional(),
    sortOrder: fields.sortOrder.optional(),
  })
  .refine(defaultMustBeActive, { message: 'The default theme must be active', path: ['isActive'] })
  .openapi('CreateThemeRequest');

export const UpdateThemeBodySchema = z
  .strictObject({
    name: fields.name.optional(),
    displayName: fields.displayName.optional(),
    description: fields.description.optional(),
    previewImageUrl: fields.previewImageUrl.optional(),
    colorPalette: fields.colorPalette.optional(),
    cssVariables: fields.cssVariables.optional(),
    isActive: fields.isActive.optional(),
    isDefault: fields.isDefault.optional(),
    sortOrder: fields.sortOrder.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' })
  .refine(defaultMustBeActive, { message: 'The default theme must be active', path: ['isActive'] })
  .openapi('UpdateThemeRequest');

export const ThemeRefParamsSchema = z.object({
  theme: z
    .string()
    .min(1)
    .max(50)
    .openapi({ param: { name: 'theme', in: 'path' }, description: 'The theme id or name', example: 'dark' }),
});

export const ThemeIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3c1f5d2a-8b4e-4f6a-9c7d-1e2f3a4b5c6d' }),
});

export const DeletedThemeSchema = z.object({ id: z.uuid(), deleted: z.literal(true) }).openapi('DeletedTheme');
