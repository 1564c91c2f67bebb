import { sql } from 'drizzle-orm';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { createdNotifications, createNotifications, type NotificationContent, type NotificationTarget } from '../service';

const targetExists = (target: NotificationTarget) =>
  'userId' in target
    ? sql`exists (select 1 from users u where u.id = ${target.userId}::uuid and u.deleted_at is null)`
    : sql`exists (select 1 from roles ro where ro.name = ${target.role})`;

/**
 * An admin's notification to one user or to every holder of a role: one batch with the target
 * check (404 when the user or role does not exist), the insert (one row per recipient, delivery
 * decided per recipient) and the audit row.
 */
export async function sendNotifications(ctx: ServiceContext, target: NotificationTarget, content: NotificationContent) {
  const [, inserted] = await guardedBatch(
    () =>
      ctx.db.batch([
        abortUnless(ctx.db, targetExists(target), 'NOT_FOUND'),
        createNotifications(ctx, target, content),
        auditInsert(ctx, {
          entityType: 'notification',
          entityId: null,
          action: 'create',
          description: 'userId' in target ? 'Sent a notification to a user' : `Sent a notification to the role ${target.role}`,
          newValues: { target, type: content.type, title: content.title, priority: content.priority ?? 'normal', actionUrl: content.actionUrl ?? null, expiresAt: content.expiresAt ?? null },
        }),
      ]),
    { NOT_FOUND: 'userId' in target ? 'User not found' : 'Role not found' },
  );
  const created = createdNotifications(inserted);
  return {
    count: created.length,
    notifications: created.map((n) => ({
      id: n.id,
      userId: n.userId,
      type: n.type,
      priority: n.priority,
      createdAt: n.createdAt.toISOString(),
      delivery: {
        inApp: true as const,
        email: { status: n.emailStatus, scheduledAt: n.emailScheduledAt?.toISOString() ?? null, sentAt: null },
        ...n.channels,
      },
    })),
  };
}
