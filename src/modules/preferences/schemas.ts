import { z } from '@hono/zod-openapi';
import {
  colorSchemes,
  dateFormats,
  fontSizes,
  layoutTypes,
  navigationPositions,
  navigationTypes,
  profileVisibilities,
  timeFormats,
} from '../../../drizzle';
import { THEME_PREFERENCE_DESCRIPTION } from '../themes/schemas';
import { barStyles, CURRENCY, footerPositions, groups, HEX_COLOUR, NUMBER_FORMAT, sidebarPositions, toolbarPositions } from './fields';

/** True for an IANA time zone name the runtime knows (e.g. `Asia/Bangkok`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimezoneSchema = z
  .string()
  .max(100)
  .refine(isTimeZone, { message: 'Must be an IANA time zone such as Europe/Paris' })
  .openapi({ example: 'Asia/Bangkok' });
export const LanguageSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'A two-letter ISO 639-1 code')
  .openapi({ example: 'en' });
const ThemeNameSchema = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'A theme name: lower-case letters, digits, _ and -')
  .openapi({ description: THEME_PREFERENCE_DESCRIPTION, example: 'auto' });

/** A partial update must change something: an empty (or absent) body is refused. */
const nonEmpty = (body: object) => Object.keys(body).length > 0;
const NOTHING = { message: 'Nothing to change' };

/** A group's object schema, and its patch: every field optional, unknown fields rejected. */
function group<S extends z.ZodRawShape>(shape: S) {
  return { full: z.object(shape), patch: z.strictObject(shape).partial() };
}

const navigation = group({ collapsed: z.boolean(), type: z.enum(navigationTypes), position: z.enum(navigationPositions) });
const notificationTypes = group({ security: z.boolean(), updates: z.boolean(), marketing: z.boolean(), reminders: z.boolean() });
const notifications = {
  full: z.object({ email: z.boolean(), push: z.boolean(), desktop: z.boolean(), sound: z.boolean(), types: notificationTypes.full }),
  patch: z
    .strictObject({ email: z.boolean(), push: z.boolean(), desktop: z.boolean(), sound: z.boolean(), types: notificationTypes.patch })
    .partial(),
};
const privacy = group({ profileVisibility: z.enum(profileVisibilities), activityTracking: z.boolean(), analyticsOptOut: z.boolean(), dataSharing: z.boolean() });
const accessibility = group({ highContrast: z.boolean(), fontSize: z.enum(fontSizes), reducedMotion: z.boolean(), screenReader: z.boolean() });
const performance = group({ animations: z.boolean(), lazyLoading: z.boolean(), caching: z.boolean(), compression: z.boolean() });

export const NotificationSettingsSchema = notifications.full.openapi('NotificationSettings');
const PrivacySettingsSchema = privacy.full.openapi('PrivacySettings');
const AccessibilitySettingsSchema = accessibility.full.openapi('AccessibilitySettings');
const PerformanceSettingsSchema = performance.full.openapi('PerformanceSettings');

/* ---------- /api/users/preferences ---------- */

const preferenceShape = {
  theme: ThemeNameSchema,
  scheme: z.enum(colorSchemes),
  layout: z.enum(layoutTypes),
  language: LanguageSchema,
  timezone: TimezoneSchema,
  dateFormat: z.enum(dateFormats),
  timeFormat: z.enum(timeFormats),
};

export const UserPreferencesSchema = z
  .object({
    ...preferenceShape,
    navigation: navigation.full,
    notifications: NotificationSettingsSchema,
    privacy: PrivacySettingsSchema,
    accessibility: AccessibilitySettingsSchema,
    performance: PerformanceSettingsSchema,
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('UserPreferences');
export type UserPreferences = z.infer<typeof UserPreferencesSchema>;

export const UpdatePreferencesBodySchema = z
  .strictObject({
    ...preferenceShape,
    navigation: navigation.patch,
    notifications: notifications.patch,
    privacy: privacy.patch,
    accessibility: accessibility.patch,
    performance: performance.patch,
  })
  .partial()
  .refine(nonEmpty, NOTHING)
  .openapi('UpdatePreferencesRequest', { example: { theme: 'dark', scheme: 'dark', notifications: { email: false, types: { marketing: false } } } });

/* ---------- /api/settings ---------- */

const Colour = z.string().regex(new RegExp(HEX_COLOUR), 'A colour #RRGGBB');

const AvailableThemeSchema = z.object({ name: z.string(), displayName: z.string(), preview: z.string().nullable(), description: z.string().nullable() });

export const ThemeSettingsSchema = z
  .object({
    name: ThemeNameSchema,
    scheme: z.enum(colorSchemes),
    customColors: z
      .object({ primary: z.string().optional(), accent: z.string().optional(), warn: z.string().optional() })
      .openapi({ description: 'Colours the user set over the theme’s palette' }),
    darkMode: z.boolean(),
    autoTheme: z.boolean(),
    availableThemes: z.array(AvailableThemeSchema).openapi({ description: 'The active themes (responses only)' }),
  })
  .openapi('ThemeSettings');

const ThemeSettingsPatchSchema = z
  .strictObject({
    name: ThemeNameSchema,
    scheme: z.enum(colorSchemes),
    customColors: z
      .strictObject({ primary: Colour.nullable(), accent: Colour.nullable(), warn: Colour.nullable() })
      .partial()
      .openapi({ description: 'null removes a custom colour' }),
    darkMode: z.boolean(),
    autoTheme: z.boolean(),
  })
  .partial();
export const UpdateThemeSettingsBodySchema = ThemeSettingsPatchSchema.refine(nonEmpty, NOTHING).openapi('UpdateThemeSettingsRequest');

const layoutGroups = {
  navigation: group({ type: z.enum(navigationTypes), position: z.enum(navigationPositions), collapsed: z.boolean(), folded: z.boolean() }),
  toolbar: group({ position: z.enum(toolbarPositions), style: z.enum(barStyles) }),
  footer: group({ position: z.enum(footerPositions), style: z.enum(barStyles) }),
  sidebar: group({ hidden: z.boolean(), position: z.enum(sidebarPositions) }),
};

export const LayoutSettingsSchema = z
  .object({
    type: z.enum(layoutTypes),
    navigation: layoutGroups.navigation.full,
    toolbar: layoutGroups.toolbar.full,
    footer: layoutGroups.footer.full,
    sidebar: layoutGroups.sidebar.full,
  })
  .openapi('LayoutSettings');

const LayoutSettingsPatchSchema = z
  .strictObject({
    type: z.enum(layoutTypes),
    navigation: layoutGroups.navigation.patch,
    toolbar: layoutGroups.toolbar.patch,
    footer: layoutGroups.footer.patch,
    sidebar: layoutGroups.sidebar.patch,
  })
  .partial();
export const UpdateLayoutSettingsBodySchema = LayoutSettingsPatchSchema.refine(nonEmpty, NOTHING).openapi('UpdateLayoutSettingsRequest');

const localizationShape = {
  language: LanguageSchema,
  dateFormat: z.enum(dateFormats),
  timeFormat: z.enum(timeFormats),
  timezone: TimezoneSchema,
  currency: z.string().regex(new RegExp(CURRENCY), 'A three-letter ISO 4217 code').openapi({ example: 'USD' }),
  numberFormat: z.string().max(35).regex(new RegExp(NUMBER_FORMAT), 'A locale such as en-US').openapi({ example: 'en-US' }),
};
const LocalizationSettingsSchema = z.object(localizationShape).openapi('LocalizationSettings');

export const UpdateNotificationSettingsBodySchema = notifications.patch.refine(nonEmpty, NOTHING).openapi('UpdateNotificationSettingsRequest');

export const UserSettingsSchema = z
  .object({
    theme: ThemeSettingsSchema,
    layout: LayoutSettingsSchema,
    localization: LocalizationSettingsSchema,
    notifications: NotificationSettingsSchema,
    privacy: PrivacySettingsSchema,
    accessibility: AccessibilitySettingsSchema,
    performance: PerformanceSettingsSchema,
  })
  .openapi('UserSettings');
export type UserSettings = z.infer<typeof UserSettingsSchema>;

export const UpdateSettingsBodySchema = z
  .strictObject({
    theme: ThemeSettingsPatchSchema,
    layout: LayoutSettingsPatchSchema,
    localization: z.strictObject(localizationShape).partial(),
    notifications: notifications.patch,
    privacy: privacy.patch,
    accessibility: accessibility.patch,
    performance: performance.patch,
  })
  .partial()
  .refine(nonEmpty, NOTHING)
  .openapi('UpdateUserSettingsRequest');

export const ResetSettingsBodySchema = z
  .strictObject({
    categories: z
      .array(z.enum(groups))
      .max(groups.length)
      .optional()
      .openapi({ description: 'Groups to reset; all of them when omitted or empty', example: ['theme', 'layout'] }),
  })
  .openapi('ResetSettingsRequest');
