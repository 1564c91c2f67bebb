import {
  boolean,
  check,
  foreignKey,
  index,
  pgTable,
  text,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { isOneOf, timestamps } from './columns';
import { users } from './users';

export const colorSchemes = ['light', 'dark', 'auto'] as const;
export const layoutTypes = ['classic', 'compact', 'enterprise', 'empty'] as const;
export const dateFormats = ['MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY-MM-DD'] as const;
export const timeFormats = ['12h', '24h'] as const;
export const navigationTypes = ['default', 'compact', 'horizontal'] as const;
export const navigationPositions = ['left', 'right', 'top'] as const;
export const profileVisibilities = ['public', 'private', 'friends'] as const;
export const fontSizes = ['small', 'medium', 'large', 'x-large'] as const;

/** One row per user. `theme` names a row of `themes`: free text, not a fixed list. */
export const userPreferences = pgTable(
  'user_preferences',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    theme: varchar({ length: 50 }).default('default'),
    scheme: text({ enum: colorSchemes }).default('light'),
    layout: text({ enum: layoutTypes }).default('classic'),
    language: varchar({ length: 10 }).default('en'),
    timezone: varchar({ length: 100 }).default('UTC'),
    dateFormat: text('date_format', { enum: dateFormats }).default('MM/DD/YYYY'),
    timeFormat: text('time_format', { enum: timeFormats }).default('12h'),
    navigationCollapsed: boolean('navigation_collapsed').default(false),
    navigationType: text('navigation_type', { enum: navigationTypes }).default('default'),
    navigationPosition: text('navigation_position', { enum: navigationPositions }).default('left'),
    notificationsEmail: boolean('notifications_email').default(true),
    notificationsPush: boolean('notifications_push').default(false),
    notificationsDesktop: boolean('notifications_desktop').default(true),
    notificationsSound: boolean('notifications_sound').default(true),
    notificationsSecurity: boolean('notifications_security').default(true),
    notificationsUpdates: boolean('notifications_updates').default(true),
    notificationsMarketing: boolean('notifications_marketing').default(false),
    notificationsReminders: boolean('notifications_reminders').default(true),
    profileVisibility: text('profile_visibility', { enum: profileVisibilities }).default('public'),
    activityTracking: boolean('activity_tracking').default(true),
    analyticsOptOut: boolean('analytics_opt_out').default(false),
    dataSharing: boolean('data_sharing').default(false),
    highContrast: boolean('high_contrast').default(false),
    fontSize: text('font_size', { enum: fontSizes }).default('medium'),
    reducedMotion: boolean('reduced_motion').default(false),
    screenReader: boolean('screen_reader').default(false),
    animations: boolean().default(true),
    lazyLoading: boolean('lazy_loading').default(true),
    caching: boolean().default(true),
    compression: boolean().default(true),
    ...timestamps(),
  },
  (t) => [
    unique('user_preferences_user_id_unique').on(t.userId),
    check('user_preferences_scheme_check', isOneOf(t.scheme, colorSchemes)),
    check('user_preferences_layout_check', isOneOf(t.layout, layoutTypes)),
    check('user_preferences_date_format_check', isOneOf(t.dateFormat, dateFormats)),
    check('user_preferences_time_format_check', isOneOf(t.timeFormat, timeFormats)),
    check('user_preferences_navigation_type_check', isOneOf(t.navigationType, navigationTypes)),
    check(
      'user_preferences_navigation_position_check',
      isOneOf(t.navigationPosition, navigationPositions),
    ),
    check(
      'user_preferences_profile_visibility_check',
      isOneOf(t.profileVisibility, profileVisibilities),
    ),
    check('user_preferences_font_size_check', isOneOf(t.fontSize, fontSizes)),
    index('user_preferences_theme_idx').on(t.theme),
    index('user_preferences_language_idx').on(t.language),
    foreignKey({
      name: 'user_preferences_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export type UserPreference = typeof userPreferences.$inferSelect;
export type NewUserPreference = typeof userPreferences.$inferInsert;
