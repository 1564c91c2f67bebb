import {
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  time,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { isOneOf, timestamps } from './columns';
import { users } from './users';

export const notificationPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const notificationFrequencies = ['immediate', 'daily', 'weekly', 'never'] as const;
/**
 * What happens to a notification's email (decided when it is created, from the recipient's
 * preferences): `pending` = send at `email_scheduled_at` (the creation time); `held` = created in
 * quiet hours, send at `email_scheduled_at` (the end of the window); `digest` = goes into the
 * daily or weekly digest; `skipped` = no email (email off, or frequency `never`); `sent` and
 * `failed` are set by the mailer.
 */
export const notificationEmailStatuses = ['pending', 'held', 'digest', 'skipped', 'sent', 'failed'] as const;

/** The other channels, decided at creation: push and sound are silenced in quiet hours. */
export type NotificationChannels = { push: boolean; desktop: boolean; sound: boolean };

export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    type: varchar({ length: 50 }).notNull(),
    title: varchar({ length: 200 }).notNull(),
    message: text().notNull(),
    data: jsonb(),
    actionUrl: varchar('action_url', { length: 500 }),
    read: boolean().default(false),
    readAt: timestamp('read_at', { withTimezone: true }),
    archived: boolean().default(false),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    priority: text({ enum: notificationPriorities }).default('normal'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    emailStatus: text('email_status', { enum: notificationEmailStatuses }).notNull().default('skipped'),
    emailScheduledAt: timestamp('email_scheduled_at', { withTimezone: true }),
    emailSentAt: timestamp('email_sent_at', { withTimezone: true }),
    channels: jsonb().$type<NotificationChannels>(),
    ...timestamps(),
  },
  (t) => [
    check('notifications_priority_check', isOneOf(t.priority, notificationPriorities)),
    check('notifications_email_status_check', isOneOf(t.emailStatus, notificationEmailStatuses)),
    // The inbox: a user's notifications newest first (a backward scan), keyset-paginated on (created_at, id).
    index('notifications_user_id_created_at_id_idx').on(t.userId, t.createdAt, t.id),
    // The mailer's queue: emails due to be sent.
    index('notifications_email_due_idx')
      .on(t.emailScheduledAt)
      .where(sql`${t.emailStatus} in ('pending', 'held')`),
    index('notifications_user_id_read_idx').on(t.userId, t.read),
    index('notifications_user_id_type_idx').on(t.userId, t.type),
    index('notifications_type_idx').on(t.type),
    index('notifications_read_idx').on(t.read),
    index('notifications_archived_idx').on(t.archived),
    index('notifications_priority_idx').on(t.priority),
    index('notifications_expires_at_idx').on(t.expiresAt),
    foreignKey({
      name: 'notifications_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    notificationType: varchar('notification_type', { length: 50 }).notNull(),
    emailEnabled: boolean('email_enabled').default(true),
    pushEnabled: boolean('push_enabled').default(false),
    desktopEnabled: boolean('desktop_enabled').default(true),
    soundEnabled: boolean('sound_enabled').default(true),
    frequency: text({ enum: notificationFrequencies }).default('immediate'),
    quietHoursStart: time('quiet_hours_start'),
    quietHoursEnd: time('quiet_hours_end'),
    ...timestamps(),
  },
  (t) => [
    unique('notification_preferences_user_id_notification_type_unique').on(
      t.userId,
      t.notificationType,
    ),
    check(
      'notification_preferences_frequency_check',
      isOneOf(t.frequency, notificationFrequencies),
    ),
    index('notification_preferences_notification_type_idx').on(t.notificationType),
    foreignKey({
      name: 'notification_preferences_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
export type NotificationPreference = typeof notificationPreferences.$inferSelect;
export type NewNotificationPreference = typeof notificationPreferences.$inferInsert;
