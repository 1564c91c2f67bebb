import { getTableColumns } from 'drizzle-orm';
import { userPreferences } from '../../../drizzle';

/**
 * Every user-facing preference, once: where it is stored, where it appears in the two APIs, and
 * its default. `id` is `category.key`, the name a `setting_templates` row uses for it (so an
 * admin can mark it `user_configurable: false`).
 * - column fields live in the user's `user_preferences` row;
 * - setting fields have no column and live in `user_settings` (category, key) rows.
 * `preferences` is the path in GET/PUT /api/users/preferences, `settings` the path in /api/settings.
 */
export const groups = ['theme', 'layout', 'localization', 'notifications', 'privacy', 'accessibility', 'performance'] as const;
export type Group = (typeof groups)[number];

type Scalar = string | boolean;

interface BaseField {
  id: string;
  group: Group;
  settings: readonly string[];
  preferences?: readonly string[];
}
export interface ColumnField extends BaseField {
  kind: 'column';
  /** The `user_preferences` column (SQL name). */
  column: string;
  /** Key of the column in the Drizzle table. */
  property: keyof typeof userPreferences.$inferSelect;
  type: 'string' | 'boolean';
}
export interface SettingField extends BaseField {
  kind: 'setting';
  category: Group;
  key: string;
  type: 'string' | 'boolean';
  /** null: unset unless the user sets it (custom colours). */
  default: Scalar | null;
  /** Allowed values, for the JSON Schema the typed settings API applies when no template exists. */
  enum?: readonly string[];
  pattern?: string;
}
export type Field = ColumnField | SettingField;

const tableColumns = getTableColumns(userPreferences);

function column(id: string, property: keyof typeof userPreferences.$inferSelect, settings: string, preferences: string): ColumnField {
  const col = tableColumns[property];
  return {
    kind: 'column',
    id,
    group: id.split('.')[0] as Group,
    column: col.name,
    property,
    type: col.dataType === 'boolean' ? 'boolean' : 'string',
    settings: settings.split('.'),
    preferences: preferences.split('.'),
  };
}

function setting(id: string, settings: string, type: 'string' | 'boolean', def: Scalar | null, rules: { enum?: readonly string[]; pattern?: string } = {}): SettingField {
  const [category, key] = id.split('.') as [Group, string];
  return { kind: 'setting', id, group: category, category, key, type, default: def, settings: settings.split('.'), ...rules };
}

export const toolbarPositions = ['top', 'bottom', 'hidden'] as const;
export const barStyles = ['fixed', 'static', 'sticky'] as const;
export const footerPositions = ['bottom', 'hidden'] as const;
export const sidebarPositions = ['left', 'right'] as const;
export const HEX_COLOUR = '^#[0-9A-Fa-f]{6}$';
export const CURRENCY = '^[A-Z]{3}$';
export const NUMBER_FORMAT = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';

export const fields: readonly Field[] = [
  column('theme.name', 'theme', 'theme.name', 'theme'),
  column('theme.scheme', 'scheme', 'theme.scheme', 'scheme'),
  setting('theme.custom_color_primary', 'theme.customColors.primary', 'string', null, { pattern: HEX_COLOUR }),
  setting('theme.custom_color_accent', 'theme.customColors.accent', 'string', null, { pattern: HEX_COLOUR }),
  setting('theme.custom_color_warn', 'theme.customColors.warn', 'string', null, { pattern: HEX_COLOUR }),
  setting('theme.dark_mode', 'theme.darkMode', 'boolean', false),
  setting('theme.auto_theme', 'theme.autoTheme', 'boolean', false),
  column('layout.type', 'layout', 'layout.type', 'layout'),
  column('layout.navigation_type', 'navigationType', 'layout.navigation.type', 'navigation.type'),
  column('layout.navigation_position', 'navigationPosition', 'layout.navigation.position', 'navigation.position'),
  column('layout.navigation_collapsed', 'navigationCollapsed', 'layout.navigation.collapsed', 'navigation.collapsed'),
  setting('layout.navigation_folded', 'layout.navigation.folded', 'boolean', false),
  setting('layout.toolbar_position', 'layout.toolbar.position', 'string', 'top', { enum: toolbarPositions }),
  setting('layout.toolbar_style', 'layout.toolbar.style', 'string', 'fixed', { enum: barStyles }),
  setting('layout.footer_position', 'layout.footer.position', 'string', 'bottom', { enum: footerPositions }),
  setting('layout.footer_style', 'layout.footer.style', 'string', 'static', { enum: barStyles }),
  setting('layout.sidebar_hidden', 'layout.sidebar.hidden', 'boolean', false),
  setting('layout.sidebar_position', 'layout.sidebar.position', 'string', 'right', { enum: sidebarPositions }),
  column('localization.language', 'language', 'localization.language', 'language'),
  column('localization.date_format', 'dateFormat', 'localization.dateFormat', 'dateFormat'),
  column('localization.time_format', 'timeFormat', 'localization.timeFormat', 'timeFormat'),
  column('localization.timezone', 'timezone', 'localization.timezone', 'timezone'),
  setting('localization.currency', 'localization.currency', 'string', 'USD', { pattern: CURRENCY }),
  setting('localization.number_format', 'localization.numberFormat', 'string', 'en-US', { pattern: NUMBER_FORMAT }),
  column('notifications.email', 'notificationsEmail', 'notifications.email', 'notifications.email'),
  column('notifications.push', 'notificationsPush', 'notifications.push', 'notifications.push'),
  column('notifications.desktop', 'notificationsDesktop', 'notifications.desktop', 'notifications.desktop'),
  column('notifications.sound', 'notificationsSound', 'notifications.sound', 'notifications.sound'),
  column('notifications.security', 'notificationsSecurity', 'notifications.types.security', 'notifications.types.security'),
  column('notifications.updates', 'notificationsUpdates', 'notifications.types.updates', 'notifications.types.updates'),
  column('notifications.marketing', 'notificationsMarketing', 'notifications.types.marketing', 'notifications.types.marketing'),
  column('notifications.reminders', 'notificationsReminders', 'notifications.types.reminders', 'notifications.types.reminders'),
  column('privacy.profile_visibility', 'profileVisibility', 'privacy.profileVisibility', 'privacy.profileVisibility'),
  column('privacy.activity_tracking', 'activityTracking', 'privacy.activityTracking', 'privacy.activityTracking'),
  column('privacy.analytics_opt_out', 'analyticsOptOut', 'privacy.analyticsOptOut', 'privacy.analyticsOptOut'),
  column('privacy.data_sharing', 'dataSharing', 'privacy.dataSharing', 'privacy.dataSharing'),
  column('accessibility.high_contrast', 'highContrast', 'accessibility.highContrast', 'accessibility.highContrast'),
  column('accessibility.font_size', 'fontSize', 'accessibility.fontSize', 'accessibility.fontSize'),
  column('accessibility.reduced_motion', 'reducedMotion', 'accessibility.reducedMotion', 'accessibility.reducedMotion'),
  column('accessibility.screen_reader', 'screenReader', 'accessibility.screenReader', 'accessibility.screenReader'),
  column('performance.animations', 'animations', 'performance.animations', 'performance.animations'),
  column('performance.lazy_loading', 'lazyLoading', 'performance.lazyLoading', 'performance.lazyLoading'),
  column('performance.caching', 'caching', 'performance.caching', 'performance.caching'),
  column('performance.compression', 'compression', 'performance.compression', 'performance.compression'),
];

export const columnFields = fields.filter((f): f is ColumnField => f.kind === 'column');
export const settingFields = fields.filter((f): f is SettingField => f.kind === 'setting');

/** The column's database default (the same value Drizzle's migration declared). */
export function columnDefault(field: ColumnField): Scalar {
  return tableColumns[field.property].default as Scalar;
}

/** The JSON Schema the typed settings API applies to a setting field when no template overrides it. */
export function builtInSchema(field: SettingField): Record<string, unknown> {
  return { type: field.type, ...(field.enum ? { enum: [...field.enum] } : {}), ...(field.pattern ? { pattern: field.pattern } : {}) };
}

export function getPath(source: unknown, path: readonly string[]): unknown {
  let value = source;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = target;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}
