import { notifications } from '../../../drizzle';
import type { ServiceContext } from '../../lib/service-context';

export interface NotificationInput {
  userId: string;
  type: string;
  title: string;
  message: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  data?: Record<string, unknown>;
  actionUrl?: string;
  expiresAt?: Date;
}

/** An in-app notification, as an unexecuted insert, for the batch of the change that caused it. */
export function notificationInsert(ctx: ServiceContext, input: NotificationInput) {
  return ctx.db.insert(notifications).values({
    userId: input.userId,
    type: input.type,
    title: input.title,
    message: input.message,
    priority: input.priority ?? 'normal',
    data: input.data ?? null,
    actionUrl: input.actionUrl ?? null,
    expiresAt: input.expiresAt ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
}
