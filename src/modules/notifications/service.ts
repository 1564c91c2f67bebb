import { sql, type SQL } from 'drizzle-orm';
import type { NotificationChannels, notificationEmailStatuses } from '../../../drizzle';
import type { ServiceContext } from '../../lib/service-context';
import { channelsSql, deliveryJoins, emailScheduledAtSql, emailStatusSql } from './services/delivery-sql';

/*
 * The notifications other modules create (security notices, admin messages...). Each call is ONE
 * unexecuted statement for the caller's `db.batch`, so the notification commits with the change
 * that caused it: an INSERT ... SELECT over the recipients that also decides, from each
 * recipient's preferences and quiet hours, the email status and time and the other channels (see
 * services/delivery-sql.ts).
 */

export type NotificationPriority = 'low' | 'normal' | 'high' | 'urgent';
export type EmailStatus = (typeof notificationEmailStatuses)[number];

export interface NotificationContent {
  type: string;
  title: string;
  message: string;
  priority?: NotificationPriority;
  data?: Record<string, unknown>;
  actionUrl?: string;
  expiresAt?: Date;
}

/** One user, or every live holder of a role (active, unexpired grant). Soft-deleted users are skipped. */
export type NotificationTarget = { userId: string } | { role: string };

export interface NotificationInput extends NotificationContent {
  userId: string;
}

/** What the insert returns for each notification created. */
export interface CreatedNotification {
  id: string;
  userId: string;
  type: string;
  priority: NotificationPriority;
  emailStatus: EmailStatus;
  emailScheduledAt: Date | null;
  channels: NotificationChannels;
  createdAt: Date;
}

/** `WHERE` on the recipient `r` (users) for a target. */
function recipientsWhere(target: NotificationTarget, now: Date): SQL {
  const live = sql`r.deleted_at is null`;
  if ('userId' in target) return sql`r.id = ${target.userId}::uuid and ${live}`;
  return sql`${live} and exists (select 1 from user_roles ur join roles ro on ro.id = ur.role_id
    where ur.user_id = r.id and ro.name = ${target.role} and ur.is_active is not false
      and (ur.expires_at is null or ur.expires_at > ${now.toISOString()}::timestamptz))`;
}

/**
 * Notifications for a target, as ONE unexecuted statement for the caller's batch; map the batch
 * result with `createdNotifications`. In-app rows are always stored; the email and the other
 * channels follow the recipient's preferences and quiet hours.
 */
export function createNotifications(ctx: ServiceContext, target: NotificationTarget, content: NotificationContent) {
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  return ctx.db.execute<CreatedNotificationRow>(sql`insert into notifications
      (user_id, type, title, message, data, action_url, priority, expires_at,
       email_status, email_scheduled_at, channels, created_at, updated_at)
    select r.id, ${content.type}, ${content.title}, ${content.message},
      ${content.data === undefined ? null : JSON.stringify(content.data)}::jsonb, ${content.actionUrl ?? null},
      ${content.priority ?? 'normal'}, ${content.expiresAt ? content.expiresAt.toISOString() : null}::timestamptz,
      ${emailStatusSql}, ${emailScheduledAtSql(ctx.now)}, ${channelsSql}, ${now}, ${now}
    from ${deliveryJoins(content.type, ctx.now)}
    where ${recipientsWhere(target, ctx.now)}
    returning id, user_id, type, priority, email_status, email_scheduled_at, channels, created_at`);
}

/** An in-app notification for one user, as an unexecuted statement for the batch of the change that caused it. */
export function notificationInsert(ctx: ServiceContext, input: NotificationInput) {
  const { userId, ...content } = input;
  return createNotifications(ctx, { userId }, content);
}

export interface CreatedNotificationRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  type: string;
  priority: NotificationPriority;
  email_status: EmailStatus;
  email_scheduled_at: string | null;
  channels: NotificationChannels;
  created_at: string;
}

/** Postgres' text form of a timestamptz (`2026-01-02 03:04:05.678+00`) as a Date. */
function pgTime(value: string): Date {
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

/** The rows a `createNotifications` statement returned (its entry in the batch result). */
export function createdNotifications(result: { rows: CreatedNotificationRow[] }): CreatedNotification[] {
  return result.rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    type: r.type,
    priority: r.priority,
    emailStatus: r.email_status,
    emailScheduledAt: r.email_scheduled_at ? pgTime(r.email_scheduled_at) : null,
    channels: typeof r.channels === 'string' ? (JSON.parse(r.channels) as NotificationChannels) : r.channels,
    createdAt: pgTime(r.created_at),
  }));
}
