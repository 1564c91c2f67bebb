import { and, count, desc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import { notifications, type NotificationChannels } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import type { EmailStatus, NotificationPriority } from '../service';

/*
 * The caller's own notifications. Every statement is scoped to the caller's user id and hides
 * expired notifications, so another user's (or an expired) notification is simply "not found".
 * Every change (read and archive flags, marking all read, deleting) is one batch with its audit row.
 */

const NOT_FOUND = 'Notification not found';

function callerId(ctx: ServiceContext): string {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
  return ctx.actor.userId;
}

const visible = (userId: string, now: Date) =>
  and(eq(notifications.userId, userId), or(isNull(notifications.expiresAt), gt(notifications.expiresAt, now)))!;

/** Microsecond-exact creation time, for the cursor. */
const createdAtText = sql<string>`to_char(${notifications.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const columns = {
  id: notifications.id,
  type: notifications.type,
  title: notifications.title,
  message: notifications.message,
  data: notifications.data,
  actionUrl: notifications.actionUrl,
  priority: notifications.priority,
  read: notifications.read,
  readAt: notifications.readAt,
  archived: notifications.archived,
  archivedAt: notifications.archivedAt,
  expiresAt: notifications.expiresAt,
  emailStatus: notifications.emailStatus,
  emailScheduledAt: notifications.emailScheduledAt,
  emailSentAt: notifications.emailSentAt,
  channels: notifications.channels,
  createdAt: notifications.createdAt,
  updatedAt: notifications.updatedAt,
};

type Row = Pick<typeof notifications.$inferSelect, keyof typeof columns>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A notification as the API returns it. */
export function toNotification(row: Row) {
  const channels: NotificationChannels = row.channels ?? { push: false, desktop: false, sound: false };
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    message: row.message,
    data: (row.data ?? null) as Record<string, unknown> | null,
    actionUrl: row.actionUrl,
    priority: (row.priority ?? 'normal') as NotificationPriority,
    read: row.read ?? false,
    readAt: iso(row.readAt),
    archived: row.archived ?? false,
    archivedAt: iso(row.archivedAt),
    expiresAt: iso(row.expiresAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    delivery: {
      inApp: true as const,
      email: { status: row.emailStatus as EmailStatus, scheduledAt: iso(row.emailScheduledAt), sentAt: iso(row.emailSentAt) },
      push: channels.push,
      desktop: channels.desktop,
      sound: channels.sound,
    },
  };
}

export interface ListFilters {
  read?: boolean;
  archived?: boolean;
  type?: string;
  priority?: NotificationPriority;
  limit: number;
  cursor?: string;
}

/** Opaque keyset cursor: the last row's exact `created_at` and `id`. */
export const encodeCursor = (createdAt: string, id: string) => btoa(`${createdAt}|${id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function decodeCursor(cursor: string): { createdAt: string; id: string } | null {
  try {
    const match = CURSOR.exec(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')));
    return match ? { createdAt: match[1]!, id: match[2]! } : null;
  } catch {
    return null;
  }
}

/** The caller's notifications, newest first, one page per query (keyset on created_at, id). */
export async function listNotifications(ctx: ServiceContext, filters: ListFilters) {
  const userId = callerId(ctx);
  const conditions: SQL[] = [visible(userId, ctx.now)];
  if (filters.read !== undefined) conditions.push(filters.read ? eq(notifications.read, true) : sql`${notifications.read} is not true`);
  conditions.push(filters.archived ? eq(notifications.archived, true) : sql`${notifications.archived} is not true`);
  if (filters.type) conditions.push(eq(notifications.type, filters.type));
  if (filters.priority) conditions.push(eq(notifications.priority, filters.priority));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    if (!after) {
      throw new ApiError('VALIDATION_ERROR', 'Invalid request data', { details: [{ field: 'query.cursor', message: 'Invalid cursor', code: 'invalid_cursor' }] });
    }
    conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await ctx.db
    .select({ ...columns, cursorAt: createdAtText })
    .from(notifications)
    .where(and(...conditions))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    items: page.map(toNotification),
    nextCursor: rows.length > filters.limit && last ? encodeCursor(last.cursorAt, last.id) : null,
  };
}

/** Unread, unarchived, unexpired notifications of the caller, in total and by priority. */
export async function unreadCount(ctx: ServiceContext) {
  const userId = callerId(ctx);
  const rows = await ctx.db
    .select({ priority: notifications.priority, n: count() })
    .from(notifications)
    .where(and(visible(userId, ctx.now), sql`${notifications.read} is not true`, sql`${notifications.archived} is not true`))
    .groupBy(notifications.priority);
  const byPriority = { low: 0, normal: 0, high: 0, urgent: 0 };
  for (const r of rows) byPriority[(r.priority ?? 'normal') as NotificationPriority] += r.n;
  return { count: rows.reduce((sum, r) => sum + r.n, 0), byPriority };
}

export async function getNotification(ctx: ServiceContext, id: string) {
  const userId = callerId(ctx);
  const [row] = await ctx.db.select(columns).from(notifications).where(and(eq(notifications.id, id), visible(userId, ctx.now)));
  if (!row) throw new ApiError('NOTIFICATION_NOT_FOUND', NOT_FOUND);
  return toNotification(row);
}

export interface NotificationChange {
  read?: boolean;
  archived?: boolean;
}

/**
 * Marks read or unread, archives or unarchives, in one batch: the existence guard, the audit row
 * (old flags read inside the batch) and the update; `read_at`/`archived_at` follow the flags.
 */
export async function updateNotification(ctx: ServiceContext, id: string, change: NotificationChange) {
  const userId = callerId(ctx);
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const set: Partial<Record<'read' | 'readAt' | 'archived' | 'archivedAt' | 'updatedAt', unknown>> = { updatedAt: ctx.now };
  if (change.read !== undefined) {
    set.read = change.read;
    set.readAt = change.read ? sql`coalesce(${notifications.readAt}, ${now})` : null;
  }
  if (change.archived !== undefined) {
    set.archived = change.archived;
    set.archivedAt = change.archived ? sql`coalesce(${notifications.archivedAt}, ${now})` : null;
  }
  const mine = and(eq(notifications.id, id), visible(userId, ctx.now))!;
  const [, , rows] = await guardedBatch(
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, sql`exists (select 1 from ${notifications} where ${mine})`, 'NOTIFICATION_NOT_FOUND'),
        auditInsert(ctx, {
          entityType: 'notification',
          entityId: id,
          action: 'update',
          description: 'Changed a notification',
          oldValues: sql`(select jsonb_build_object('read', coalesce(n.read, false), 'archived', coalesce(n.archived, false)) from ${notifications} n where n.id = ${id})`,
          newValues: change,
        }),
        ctx.db
          .update(notifications)
          .set(set as typeof notifications.$inferInsert)
          .where(mine)
          .returning(columns),
      ]),
    { NOTIFICATION_NOT_FOUND: NOT_FOUND },
  );
  const [row] = rows;
  if (!row) throw new ApiError('NOTIFICATION_NOT_FOUND', NOT_FOUND);
  return toNotification(row);
}

/** Marks every unread, unexpired notification of the caller read (optionally of one type), with its audit row, in one batch. */
export async function markAllRead(ctx: ServiceContext, type?: string) {
  const userId = callerId(ctx);
  const unread = and(visible(userId, ctx.now), sql`${notifications.read} is not true`, type ? eq(notifications.type, type) : undefined)!;
  const [, rows] = await ctx.db.batch([
    auditInsert(ctx, {
      entityType: 'notification',
      entityId: null,
      action: 'update',
      description: 'Marked all notifications read',
      oldValues: sql`(select jsonb_build_object('unread', count(*)) from ${notifications} where ${unread})`,
      newValues: { read: true, ...(type ? { type } : {}) },
    }),
    ctx.db.update(notifications).set({ read: true, readAt: ctx.now, updatedAt: ctx.now }).where(unread).returning({ id: notifications.id }),
  ]);
  return { updated: rows.length };
}

/** Deletes one of the caller's notifications, with its audit row, in one batch. */
export async function deleteNotification(ctx: ServiceContext, id: string) {
  const userId = callerId(ctx);
  const mine = and(eq(notifications.id, id), visible(userId, ctx.now))!;
  await guardedBatch(
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, sql`exists (select 1 from ${notifications} where ${mine})`, 'NOTIFICATION_NOT_FOUND'),
        ctx.db.delete(notifications).where(mine),
        auditInsert(ctx, { entityType: 'notification', entityId: id, action: 'delete', description: 'Deleted a notification' }),
      ]),
    { NOTIFICATION_NOT_FOUND: NOT_FOUND },
  );
  return { message: 'Notification deleted', id };
}
