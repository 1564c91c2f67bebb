import type { Env } from '../../env';
import { createLogger } from '../../lib/logger';
import { writeActivity, type ActivityMessage } from '../auth/services/activity';
import { claimDueDigests, claimDueEmails, type EmailJob } from '../notifications/services/email-claims';
import { failDeadLetters, sendEmails, type EmailVerdict } from '../notifications/services/email-sending';
import { emailJobSettings, retentionSettings } from './config';
import type { JobContext } from './context';
import { runJob, type JobOutcome } from './run';
import { removeExpiredRows } from './services/retention';
import { lastSuccessClock } from './services/runs';

/*
 * The Worker's background jobs. Cron jobs run from the `scheduled` handler: every trigger runs
 * every job that is due, whatever cron fired it, with the trigger's scheduled time as the clock.
 * Queue jobs run from the `queue` handler, one run per batch of messages.
 */

export interface CronJob {
  name: string;
  description: string;
  /** Minutes between two runs: due when the last successful run was in an earlier slot of that length. */
  everyMinutes: (env: Env) => number;
  run: (ctx: JobContext) => Promise<JobOutcome>;
}

export const CRON_JOBS: CronJob[] = [
  {
    name: 'notification-emails',
    description: 'Claims the notification emails that are due (quiet hours ended) and queues them for sending',
    everyMinutes: () => 1,
    run: async (ctx) => {
      const r = await claimDueEmails(ctx);
      return { processed: r.queued, failures: 0, details: { queued: r.queued, held: r.held, skipped: r.skipped, toDigest: r.toDigest, batches: r.batches } };
    },
  },
  {
    name: 'notification-digests',
    description: 'Claims the notifications due in a daily or weekly digest (at the configured local hour) and queues one email per user and period',
    everyMinutes: () => 1,
    run: async (ctx) => {
      const settings = emailJobSettings(ctx.env);
      const r = await claimDueDigests(ctx, { hour: settings.digestHour, weekday: settings.digestWeekday });
      return { processed: r.rows, failures: 0, details: { digests: r.digests, rows: r.rows, skipped: r.skipped, batches: r.batches } };
    },
  },
  {
    name: 'retention',
    description: 'Removes sessions, tokens, notifications, session activity, resolved security events (and audit rows, when configured) past their retention, in bounded batches',
    everyMinutes: (env) => retentionSettings(env).everyMinutes,
    run: async (ctx) => {
      const { removed, batches } = await removeExpiredRows(ctx, retentionSettings(ctx.env));
      const processed = Object.values(removed).reduce((sum, n) => sum + n, 0);
      return { processed, failures: 0, details: { ...removed, batches } };
    },
  },
];

export interface QueueJob {
  name: string;
  description: string;
}

/** The consumers, as the admin endpoint lists them. */
export const QUEUE_JOBS: QueueJob[] = [
  { name: 'email-delivery', description: 'Email queue consumer: sends notification emails and digests, retries failures with backoff, marks rows sent or failed' },
  { name: 'activity-writes', description: 'Activity queue consumer: writes session activity rows in batches' },
  { name: 'dead-letters', description: 'Dead-letter queue consumer: marks undeliverable emails failed, writes dead-lettered activity once more' },
];

async function isDue(env: Env, job: CronJob, now: Date): Promise<boolean> {
  const minutes = job.everyMinutes(env);
  if (minutes <= 1) return true;
  const last = await lastSuccessClock(env.CACHE, job.name);
  if (!last || last > now) return true;
  const slot = (at: Date) => Math.floor(at.getTime() / (minutes * 60_000));
  return slot(last) < slot(now);
}

/** The `scheduled` handler: every due job, concurrently; a failing job does not stop the others. */
export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const due = await Promise.all(CRON_JOBS.map(async (job) => ((await isDue(env, job, now).catch(() => true)) ? job : null)));
  await Promise.allSettled(due.filter((job): job is CronJob => job !== null).map((job) => runJob(env, waitUntil, job.name, now, job.run)));
}

const kindOf = (body: unknown) => (body && typeof body === 'object' && 'kind' in body ? body.kind : undefined);
const isEmail = (body: unknown): body is EmailJob => kindOf(body) === 'notification-email' || kindOf(body) === 'digest-email';
const isActivity = (body: unknown): body is ActivityMessage => kindOf(body) === 'activity';

/** A dead-letter queue is recognised by its name: it ends in `-dlq` (wrangler.toml). */
export const isDeadLetterQueue = (queue: string) => queue.endsWith('-dlq');

function settle(message: Message<unknown>, verdict: EmailVerdict) {
  if (verdict.outcome === 'done') message.ack();
  else if (verdict.outcome === 'retry') message.retry({ delaySeconds: verdict.delaySeconds });
  // The last attempt: a retry past max_retries moves the message to the dead-letter queue.
  else message.retry();
}

/**
 * The `queue` handler. Messages say what they are (`kind`): email jobs and activity rows each go
 * to their consumer, in one run per batch; a dead-letter queue's messages get their last handling.
 * When a run throws (the database is unreachable), its messages are retried with the consumer's
 * `retry_delay`.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const now = new Date();
  const emails = batch.messages.filter((m): m is Message<EmailJob> => isEmail(m.body));
  const activity = batch.messages.filter((m): m is Message<ActivityMessage> => isActivity(m.body));
  for (const m of batch.messages) {
    if (!isEmail(m.body) && !isActivity(m.body)) {
      createLogger(`queue:${batch.queue}`).warn('unknown queue message dropped', { queue: batch.queue, messageId: m.id });
      m.ack();
    }
  }
  const retryAll = (messages: Message<unknown>[]) => () => messages.forEach((m) => m.retry());

  if (isDeadLetterQueue(batch.queue)) {
    await runJob(env, waitUntil, 'dead-letters', now, async (job) => {
      const failed = emails.length > 0 ? await failDeadLetters(job, emails.map((m) => m.body)) : 0;
      const written = activity.length > 0 ? await writeActivity(job, activity.map((m) => m.body)) : 0;
      job.logger.warn('dead-lettered messages handled', { emails: emails.length, rowsMarkedFailed: failed, activity: activity.length, activityWritten: written });
      [...emails, ...activity].forEach((m) => m.ack());
      return { processed: emails.length + activity.length, failures: emails.length, details: { emails: emails.length, rowsMarkedFailed: failed, activity: activity.length, activityWritten: written } };
    }).catch(retryAll([...emails, ...activity]));
    return;
  }

  const runs: Promise<unknown>[] = [];
  if (emails.length > 0) {
    runs.push(
      runJob(env, waitUntil, 'email-delivery', now, async (job) => {
        const result = await sendEmails(job, emails.map((m) => ({ body: m.body, attempts: m.attempts })), emailJobSettings(env).maxRetries);
        result.verdicts.forEach((verdict, i) => settle(emails[i]!, verdict));
        return {
          processed: emails.length,
          failures: result.failed + result.retried,
          details: { sent: result.sent, retried: result.retried, failed: result.failed, stale: result.stale },
        };
      }).catch(retryAll(emails)),
    );
  }
  if (activity.length > 0) {
    runs.push(
      runJob(env, waitUntil, 'activity-writes', now, async (job) => {
        const written = await writeActivity(job, activity.map((m) => m.body));
        activity.forEach((m) => m.ack());
        return { processed: activity.length, failures: 0, details: { messages: activity.length, written } };
      }).catch(retryAll(activity)),
    );
  }
  await Promise.all(runs);
}
