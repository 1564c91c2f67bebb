import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

export type ColorPalette = {
  primary: string;
  accent: string;
  warn: string;
  background: string;
  surface: string;
};

/** Per-user key-value settings; `value` is text, interpreted according to `data_type`. */
export const userSettings = pgTable(
  'user_settings',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    category: varchar({ length: 50 }).notNull(),
    key: varchar({ length: 100 }).notNull(),
    value: text().notNull(),
    dataType: varchar('data_type', { length: 20 }).default('string'),
    description: text(),
    isSystem: boolean('is_system').default(false),
    ...timestamps(),
  },
  (t) => [
    unique('user_settings_user_id_category_key_unique').on(t.userId, t.category, t.key),
    index('user_settings_category_idx').on(t.category),
    index('user_settings_is_system_idx').on(t.isSystem),
    foreignKey({
      name: 'user_settings_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export const themes = pgTable(
  'themes',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: varchar({ length: 50 }).notNull(),
    displayName: varchar('display_name', { length: 100 }).notNull(),
    description: text(),
    previewImageUrl: varchar('preview_image_url', { length: 500 }),
    colorPalette: jsonb('color_palette').$type<ColorPalette>(),
    cssVariables: jsonb('css_variables').$type<Record<string, string>>(),
    isActive: boolean('is_active').default(true),
    isDefault: boolean('is_default').default(false),
    sortOrder: integer('sort_order').default(0),
    ...timestamps(),
  },
  (t) => [
    unique('themes_name_unique').on(t.name),
    index('themes_is_active_idx').on(t.isActive),
    index('themes_is_default_idx').on(t.isDefault),
    index('themes_sort_order_idx').on(t.sortOrder),
    // At most one default theme, whatever the writer (the API also keeps at least one).
    uniqueIndex('themes_single_default_idx').on(t.isDefault).where(sql`${t.isDefault}`),
  ],
);

/** Application-wide settings; only rows with `is_public` may be shown to the frontend. */
export const systemSettings = pgTable(
  'system_settings',
  {
    id: uuid().primaryKey().defaultRandom(),
    category: varchar({ length: 50 }).notNull(),
    key: varchar({ length: 100 }).notNull(),
    value: text().notNull(),
    dataType: varchar('data_type', { length: 20 }).default('string'),
    description: text(),
    isPublic: boolean('is_public').default(false),
    requiresRestart: boolean('requires_restart').default(false),
    ...timestamps(),
  },
  (t) => [
    unique('system_settings_category_key_unique').on(t.category, t.key),
    index('system_settings_is_public_idx').on(t.isPublic),
  ],
);

/** Defaults and JSON Schema validation rules for the user settings. */
export const settingTemplates = pgTable(
  'setting_templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    category: varchar({ length: 50 }).notNull(),
    key: varchar({ length: 100 }).notNull(),
    defaultValue: text('default_value').notNull(),
    dataType: varchar('data_type', { length: 20 }).default('string'),
    description: text(),
    validationRules: jsonb('validation_rules').$type<Record<string, unknown>>(),
    userConfigurable: boolean('user_configurable').default(true),
    required: boolean().default(false),
    ...timestamps(),
  },
  (t) => [
    unique('setting_templates_category_key_unique').on(t.category, t.key),
    index('setting_templates_user_configurable_idx').on(t.userConfigurable),
  ],
);

export type UserSetting = typeof userSettings.$inferSelect;
export type NewUserSetting = typeof userSettings.$inferInsert;
export type Theme = typeof themes.$inferSelect;
export type NewTheme = typeof themes.$inferInsert;
export type SystemSetting = typeof systemSettings.$inferSelect;
export type NewSystemSetting = typeof systemSettings.$inferInsert;
export type SettingTemplate = typeof settingTemplates.$inferSelect;
export type NewSettingTemplate = typeof settingTemplates.$inferInsert;
