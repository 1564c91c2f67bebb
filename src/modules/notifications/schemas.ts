import { z } from '@hono/zod-openapi';
import { notificationEmailStatuses, notificationFrequencies, notificationPriorities } from '../../../drizzle';

const TYPE = /^[a-z][a-z0-9_.-]{0,49}$/;

/** Postgres text cannot hold NUL: refused as invalid input instead of failing in the database. */
const noNul = (text: string) => !text.includes('\u0000');
const NO_NUL = 'Must not contain NUL characters';

export const NotificationTypeSchema = z
  .string()
  .regex(TYPE, 'Lower-case letters, digits, _ . - (at most 50), starting with a letter')
  .openapi({ example: 'security', description: 'Free text; the seeded types are security, updates, marketing, reminders and system' });

const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A 24-hour time HH:MM')
  .openapi({ example: '22:00' });

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListNotificationsQuerySchema = z.strictObject({
  read: booleanQuery.optional().openapi({ description: 'Only read (true) or unread (false) notifications' }),
  archived: booleanQuery
    .optional()
    .openapi({ description: 'Archived notifications (true) instead of the inbox (false, the default)' }),
  type: NotificationTypeSchema.optional(),
  priority: z.enum(notificationPriorities).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  cursor: z.string().max(200).optional().openapi({ description: '`meta.pagination.nextCursor` of the previous page' }),
});

export const NotificationIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b8f3c0e-6a4e-4a59-9f0a-3f1f6a2d9c11' }),
});

const EmailDeliverySchema = z
  .object({
    status: z.enum(notificationEmailStatuses).openapi({
      description:
        '`pending`: to be sent at scheduledAt (the creation time; once queued for sending, the time its claim lapses); `held`: created in quiet hours, to be sent at scheduledAt (the end of the window); `digest`: in the daily or weekly digest; `skipped`: no email (off, or frequency never); `sent` (sentAt) / `failed`: the outcome, set by the email queue’s consumer',
    }),
    scheduledAt: z.iso.datetime({ offset: true }).nullable(),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi('EmailDelivery');

export const DeliverySchema = z
  .object({
    inApp: z.literal(true).openapi({ description: 'Always stored in the inbox' }),
    email: EmailDeliverySchema,
    push: z.boolean().openapi({ description: 'Push allowed (off inside quiet hours)' }),
    desktop: z.boolean(),
    sound: z.boolean().openapi({ description: 'Play a sound (off inside quiet hours)' }),
  })
  .openapi('NotificationDelivery');

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).nullable(),
    actionUrl: z.string().nullable(),
    priority: z.enum(notificationPriorities),
    read: z.boolean(),
    readAt: z.iso.datetime({ offset: true }).nullable(),
    archived: z.boolean(),
    archivedAt: z.iso.datetime({ offset: true }).nullable(),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    delivery: DeliverySchema,
  })
  .openapi('Notification');

export const UnreadCountSchema = z
  .object({
    count: z.number().int(),
    byPriority: z.object({ low: z.number().int(), normal: z.number().int(), high: z.number().int(), urgent: z.number().int() }),
  })
  .openapi('UnreadNotificationCount');

export const UpdateNotificationBodySchema = z
  .strictObject({
    read: z.boolean().optional().openapi({ description: 'Mark read (true) or unread (false)' }),
    archived: z.boolean().optional().openapi({ description: 'Archive (true) or unarchive (false)' }),
  })
  .refine((b) => b.read !== undefined || b.archived !== undefined, { message: 'Give read, archived or both', path: ['read'] })
  .openapi('UpdateNotificationRequest');

export const ReadAllBodySchema = z
  .strictObject({ type: NotificationTypeSchema.optional().openapi({ description: 'Only notifications of this type' }) })
  .openapi('ReadAllNotificationsRequest');

export const ReadAllResultSchema = z.object({ updated: z.number().int() }).openapi('ReadAllNotificationsResult');
export const DeleteNotificationResultSchema = z.object({ message: z.string(), id: z.uuid() }).openapi('DeleteNotificationResult');

/** A relative path in the app (`/settings/security`) or an https URL. */
const ActionUrlSchema = z
  .string()
  .max(500)
  .refine((v) => /^\/(?!\/)[^\s\u0000]*$/.test(v) || /^https:\/\/[^\s\u0000]+$/.test(v), 'A path starting with / or an https URL')
  .openapi({ example: '/settings/security' });

export const SendNotificationBodySchema = z
  .strictObject({
    userId: z.uuid().optional().openapi({ description: 'One recipient (or give role)' }),
    role: z.string().min(1).max(50).refine(noNul, NO_NUL).optional().openapi({ description: 'Every user holding this role (or give userId)', example: 'user' }),
    type: NotificationTypeSchema,
    title: z.string().trim().min(1).max(200).refine(noNul, NO_NUL).openapi({ example: 'Scheduled maintenance' }),
    message: z.string().trim().min(1).max(5000).refine(noNul, NO_NUL).openapi({ example: 'The platform will be read-only on Sunday from 02:00 to 03:00 UTC.' }),
    priority: z.enum(notificationPriorities).default('normal'),
    data: z
      .record(z.string(), z.unknown())
      .refine((d) => JSON.stringify(d).length <= 8192, 'At most 8 KB of JSON')
      .refine((d) => !JSON.stringify(d).includes('\\u0000'), NO_NUL)
      .optional(),
    actionUrl: ActionUrlSchema.optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Hidden from the inbox from then on' }),
  })
  .refine((b) => (b.userId === undefined) !== (b.role === undefined), { message: 'Give exactly one of userId and role', path: ['userId'] })
  .openapi('SendNotificationRequest');

export const SentNotificationSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    type: z.string(),
    priority: z.enum(notificationPriorities),
    createdAt: z.iso.datetime({ offset: true }),
    delivery: DeliverySchema,
  })
  .openapi('SentNotification');

export const SendResultSchema = z
  .object({ count: z.number().int().openapi({ description: 'Notifications created (one per recipient)' }), notifications: z.array(SentNotificationSchema) })
  .openapi('SendNotificationResult');

const QuietHoursSchema = z
  .strictObject({ start: TimeOfDaySchema, end: TimeOfDaySchema.openapi({ example: '07:00' }) })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] })
  .openapi('QuietHours', { description: 'A daily window in the user’s time zone; start later than end crosses midnight (22:00-07:00)' });

export const PreferenceSchema = z
  .object({
    type: z.string(),
    email: z.boolean(),
    push: z.boolean(),
    desktop: z.boolean(),
    sound: z.boolean(),
    frequency: z.enum(notificationFrequencies),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    quietNow: z.boolean().openapi({ description: 'Inside quiet hours at the time of the request' }),
    quietUntil: z.iso.datetime({ offset: true }).nullable().openapi({ description: 'When the current quiet hours end' }),
    customized: z.boolean().openapi({ description: 'False when the type still uses the defaults (no stored row)' }),
  })
  .openapi('NotificationPreference');

export const PreferencesSchema = z
  .object({
    timezone: z.string().openapi({ description: 'The zone quiet hours are read in: user preferences, else the account, else UTC', example: 'Asia/Bangkok' }),
    preferences: z.array(PreferenceSchema),
  })
  .openapi('NotificationPreferences');

const PreferenceChangeSchema = z
  .strictObject({
    type: NotificationTypeSchema,
    email: z.boolean().optional(),
    push: z.boolean().optional(),
    desktop: z.boolean().optional(),
    sound: z.boolean().optional(),
    frequency: z.enum(notificationFrequencies).optional(),
    quietHours: QuietHoursSchema.nullable().optional().openapi({ description: 'null removes the quiet hours' }),
  })
  .openapi('NotificationPreferenceChange');

export const UpdatePreferencesBodySchema = z
  .strictObject({
    preferences: z
      .array(PreferenceChangeSchema)
      .min(1)
      .max(20)
      .refine((list) => new Set(list.map((p) => p.type)).size === list.length, 'Each type at most once'),
  })
  .openapi('UpdateNotificationPreferencesRequest');
