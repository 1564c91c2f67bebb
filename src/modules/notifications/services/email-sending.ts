import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { notifications, userPreferences, users } from '../../../../drizzle';
import { createMailer, type EmailMessage } from '../../../lib/mailer';
import { describeError } from '../../../lib/logger';
import type { ServiceContext } from '../../../lib/service-context';
import { digestEmail, notificationEmail, type Recipient } from '../email-templates';
import { resolveTimeZone } from '../quiet-hours';
import type { EmailJob } from './email-claims';

/*
 * The email queue's consumer: reads the claimed rows of a batch of messages (one round trip),
 * sends each email through the configured transport (lib/mailer), then writes the outcome of the
 * whole batch in one atomic batch (one round trip): `sent` with `email_sent_at`, or `failed` with
 * an audit row carrying the reason. Every write is conditional on the row still carrying the
 * message's lease, so a message delivered twice, or one whose row was claimed again, sends nothing.
 */

export interface EmailMessageEnvelope {
  body: EmailJob;
  /** Delivery attempts so far, this one included (1 on the first delivery). */
  attempts: number;
}

export type EmailVerdict =
  | { outcome: 'done' }
  | { outcome: 'retry'; delaySeconds: number }
  /** The last attempt failed: the rows are marked failed; the message goes on to the dead-letter queue. */
  | { outcome: 'dead' };

export interface EmailBatchResult {
  verdicts: EmailVerdict[];
  sent: number;
  failed: number;
  retried: number;
  stale: number;
}

/** Seconds before the next attempt after `attempts` failures: 30 s, 1, 2, 4, 8 minutes, at most 15. */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 900);

const idsOf = (job: EmailJob) => (job.kind === 'notification-email' ? [job.id] : job.ids);

/** The rows of a batch's messages that are still waiting for their email, with their recipients. */
async function loadRows(ctx: ServiceContext, ids: string[]) {
  if (ids.length === 0) return [];
  return ctx.db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      title: notifications.title,
      message: notifications.message,
      actionUrl: notifications.actionUrl,
      createdAt: notifications.createdAt,
      emailStatus: notifications.emailStatus,
      lease: notifications.emailScheduledAt,
      email: users.email,
      name: sql<string | null>`coalesce(nullif(${users.name}, ''), nullif(trim(concat_ws(' ', ${users.firstName}, ${users.lastName})), ''))`,
      language: sql<string | null>`coalesce(nullif(${userPreferences.language}, ''), nullif(${users.language}, ''))`,
      preferredTimezone: userPreferences.timezone,
      accountTimezone: users.timezone,
    })
    .from(notifications)
    .innerJoin(users, and(eq(users.id, notifications.userId), isNull(users.deletedAt)))
    .leftJoin(userPreferences, eq(userPreferences.userId, users.id))
    .where(and(inArray(notifications.id, ids), inArray(notifications.emailStatus, ['pending', 'digest'])));
}

type Row = Awaited<ReturnType<typeof loadRows>>[number];

const recipient = (row: Row): Recipient => ({
  email: row.email,
  name: row.name,
  language: row.language,
  timeZone: resolveTimeZone(row.preferredTimezone, row.accountTimezone),
});

/** The email a message asks for, and the rows it covers; null when nothing is left to send. */
function compose(ctx: ServiceContext, job: EmailJob, rows: Map<string, Row>): { email: EmailMessage; ids: string[] } | null {
  const lease = Date.parse(job.lease);
  const claimed = idsOf(job)
    .map((id) => rows.get(id))
    .filter((r): r is Row => r !== undefined && r.lease?.getTime() === lease && r.emailStatus === (job.kind === 'notification-email' ? 'pending' : 'digest'));
  if (claimed.length === 0) return null;
  const frontend = ctx.env.FRONTEND_URL;
  if (job.kind === 'notification-email') {
    const row = claimed[0]!;
    return { email: notificationEmail(frontend, recipient(row), row), ids: [row.id] };
  }
  const mine = claimed.filter((r) => r.userId === job.userId).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  if (mine.length === 0) return null;
  return { email: digestEmail(frontend, recipient(mine[0]!), job.period, job.until, mine), ids: mine.map((r) => r.id) };
}

/** `(id, lease, …)` items as the rows `t` of a statement (one jsonb parameter). */
const itemsTable = (items: { id: string; lease: string; reason?: string; attempts?: number }[]) =>
  sql`(select (x->>'id')::uuid as id, (x->>'lease')::timestamptz as lease, x->>'reason' as reason, (x->>'attempts')::int as attempts
    from jsonb_array_elements(${JSON.stringify(items)}::jsonb) x) t`;

/**
 * Sends what a batch of email messages asks for and records the outcome; returns one verdict per
 * message (in order) for the queue handler to ack or retry. Throws when the rows cannot be read
 * (the handler retries the whole batch).
 */
export async function sendEmails(ctx: ServiceContext, messages: EmailMessageEnvelope[], maxRetries: number): Promise<EmailBatchResult> {
  const rows = new Map((await loadRows(ctx, [...new Set(messages.flatMap((m) => idsOf(m.body)))])).map((r) => [r.id, r]));
  const mailer = createMailer(ctx.env);
  const sent: { id: string; lease: string }[] = [];
  const failed: { id: string; lease: string; reason: string; attempts: number }[] = [];
  const result: EmailBatchResult = { verdicts: [], sent: 0, failed: 0, retried: 0, stale: 0 };

  result.verdicts = await Promise.all(
    messages.map(async ({ body, attempts }): Promise<EmailVerdict> => {
      const composed = compose(ctx, body, rows);
      if (!composed) {
        result.stale++;
        return { outcome: 'done' };
      }
      try {
        await mailer.send(composed.email, { requestId: ctx.requestId, now: ctx.now });
        ctx.logger.info('email sent', { template: composed.email.template, transport: mailer.transport, notifications: composed.ids.length });
        sent.push(...composed.ids.map((id) => ({ id, lease: body.lease })));
        result.sent++;
        return { outcome: 'done' };
      } catch (error) {
        const reason = String(error instanceof Error ? error.message : error).slice(0, 500);
        const last = attempts > maxRetries;
        ctx.logger.warn('email send failed', { template: composed.email.template, transport: mailer.transport, attempts, final: last, ...describeError(error) });
        if (!last) {
          result.retried++;
          return { outcome: 'retry', delaySeconds: retryDelaySeconds(attempts) };
        }
        failed.push(...composed.ids.map((id) => ({ id, lease: body.lease, reason, attempts })));
        result.failed++;
        return { outcome: 'dead' };
      }
    }),
  );

  const writes = [];
  if (sent.length > 0) {
    writes.push(
      ctx.db.execute(sql`update notifications n set email_status = 'sent', email_sent_at = ${ctx.now.toISOString()}::timestamptz, email_scheduled_at = null
        from ${itemsTable(sent)}
        where n.id = t.id and n.email_scheduled_at = t.lease and n.email_status in ('pending', 'digest')`),
    );
  }
  if (failed.length > 0) writes.push(markFailed(ctx, failed));
  if (writes.length > 0) {
    try {
      await ctx.db.batch(writes as [(typeof writes)[number], ...(typeof writes)[number][]]);
    } catch (error) {
      // The emails went out: acknowledging them avoids sending them again now; their rows stay
      // claimed and are sent again only if the lease passes unrecorded (at-least-once delivery).
      ctx.logger.error('could not record email outcomes', { sent: sent.length, failed: failed.length, ...describeError(error) });
    }
  }
  return result;
}

/**
 * Marks rows failed (where they still carry the lease) and writes one audit row per row marked,
 * with the reason, in one statement.
 */
export function markFailed(ctx: ServiceContext, items: { id: string; lease: string; reason: string; attempts?: number }[]) {
  return ctx.db.execute(sql`with marked as (
      update notifications n set email_status = 'failed', email_scheduled_at = null
      from ${itemsTable(items)}
      where n.id = t.id and n.email_scheduled_at = t.lease and n.email_status in ('pending', 'digest')
      returning n.id, n.user_id, t.reason, t.attempts)
    insert into audit_logs (user_id, entity_type, entity_id, action, description, new_values, source, metadata, created_at)
    select null, 'notification', m.id::text, 'update', 'Notification email failed',
      jsonb_build_object('emailStatus', 'failed', 'reason', m.reason, 'attempts', m.attempts, 'recipientId', m.user_id),
      'system', jsonb_build_object('requestId', ${ctx.requestId}::text), ${ctx.now.toISOString()}::timestamptz
    from marked m`);
}

/**
 * Messages that reached the dead-letter queue: their rows, if still claimed by them (the consumer
 * could not record the failure), are marked failed with an audit row. One round trip.
 */
export async function failDeadLetters(ctx: ServiceContext, jobs: EmailJob[]): Promise<number> {
  const items = jobs.flatMap((job) => idsOf(job).map((id) => ({ id, lease: job.lease, reason: 'undeliverable: every retry failed (dead-letter queue)' })));
  if (items.length === 0) return 0;
  const result = await markFailed(ctx, items);
  return result.rowCount ?? 0;
}
