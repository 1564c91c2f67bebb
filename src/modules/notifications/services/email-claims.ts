import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../lib/service-context';
import { emailStatusSql, recipientJoins, typeSwitch } from './delivery-sql';

/*
 * The scheduled side of notification emails: due rows are CLAIMED with one conditional UPDATE
 * per batch and handed to the email queue (EMAIL_QUEUE), whose consumer sends them
 * (services/email-sending.ts). A claim moves `email_scheduled_at` to a lease one hour ahead: no
 * other run sees the row as due while its message is in the queue, the consumer sends it only
 * while the row still carries that lease, and a row whose message was lost is due again when the
 * lease passes. Two overlapping runs therefore queue each email once.
 */

/** How long a claimed row waits for its queue message before it is due again (longer than every retry's backoff together). */
export const CLAIM_LEASE_MS = 60 * 60 * 1000;
/** Rows claimed per statement (also the most messages one `sendBatch` takes). */
const CLAIM_BATCH = 100;
/** Batches per run at most. */
const MAX_BATCHES = 10;
/** Notifications in one digest email at most (a larger backlog goes out in several). */
const DIGEST_MAX_ITEMS = 200;

export interface NotificationEmailJob {
  kind: 'notification-email';
  id: string;
  /** The claim's lease (`email_scheduled_at` while queued): the consumer sends only while the row still carries it. */
  lease: string;
}

export interface DigestEmailJob {
  kind: 'digest-email';
  userId: string;
  period: 'daily' | 'weekly';
  /** The local date of the digest's cut-off: notifications created before its midnight, in the user's time zone. */
  until: string;
  ids: string[];
  lease: string;
}

export type EmailJob = NotificationEmailJob | DigestEmailJob;

const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;

async function enqueue(ctx: ServiceContext, jobs: EmailJob[]) {
  for (let i = 0; i < jobs.length; i += CLAIM_BATCH) {
    await ctx.env.EMAIL_QUEUE.sendBatch(jobs.slice(i, i + CLAIM_BATCH).map((body) => ({ body, contentType: 'json' as const })));
  }
}

export interface ClaimResult {
  queued: number;
  held: number;
  skipped: number;
  toDigest: number;
  batches: number;
}

/**
 * Claims the immediate emails that are due (`pending`, or `held` whose quiet hours ended) and
 * queues one message each. The recipient's preferences and quiet hours are read again in the same
 * statement: a row whose email was switched off since becomes `skipped`, one whose type moved to
 * a daily or weekly frequency goes to the digest, and one that falls in quiet hours now (a window
 * added or moved since) is `held` until the window ends, to the minute in the user's time zone.
 * One round trip per batch of 100.
 */
export async function claimDueEmails(ctx: ServiceContext): Promise<ClaimResult> {
  const result: ClaimResult = { queued: 0, held: 0, skipped: 0, toDigest: 0, batches: 0 };
  const now = at(ctx.now);
  const lease = new Date(ctx.now.getTime() + CLAIM_LEASE_MS);
  while (result.batches < MAX_BATCHES) {
    const { rows } = await ctx.db.execute<{ id: string; email_status: string }>(sql`with due as (
        select n.id, ${emailStatusSql} as status, q.quiet_until
        from notifications n
        join users r on r.id = n.user_id
        ${recipientJoins(sql`n.type`, ctx.now)}
        where n.email_status in ('pending', 'held') and n.email_scheduled_at <= ${now}
          and r.deleted_at is null and (n.expires_at is null or n.expires_at > ${now})
        order by n.email_scheduled_at, n.id
        limit ${CLAIM_BATCH}
        for update of n skip locked)
      update notifications n
      set email_status = due.status,
        email_scheduled_at = case due.status when 'pending' then ${at(lease)} when 'held' then due.quiet_until end
      from due
      where n.id = due.id and n.email_status in ('pending', 'held') and n.email_scheduled_at <= ${now}
      returning n.id, n.email_status`);
    result.batches++;
    const claimed = rows.filter((r) => r.email_status === 'pending');
    for (const r of rows) {
      if (r.email_status === 'held') result.held++;
      else if (r.email_status === 'skipped') result.skipped++;
      else if (r.email_status === 'digest') result.toDigest++;
    }
    await enqueue(ctx, claimed.map((r) => ({ kind: 'notification-email', id: r.id, lease: lease.toISOString() })));
    result.queued += claimed.length;
    if (rows.length < CLAIM_BATCH) break;
  }
  return result;
}

export interface DigestClaimResult {
  digests: number;
  rows: number;
  skipped: number;
  batches: number;
}

/**
 * Claims the notifications due in a digest and queues one message per user and period. A `digest`
 * row belongs to the weekly digest when its type's frequency is weekly now, else to the daily one.
 * In the user's time zone, the daily digest goes out at `hour` (local) with every row created
 * before that day's midnight; the weekly one at `hour` on `weekday` (ISO, 1 = Monday) with every
 * row created before that day's midnight. A missed hour is caught up by the next run. Rows whose
 * email was switched off (or set to never) since become `skipped`. One round trip per batch.
 */
export async function claimDueDigests(ctx: ServiceContext, settings: { hour: number; weekday: number }): Promise<DigestClaimResult> {
  const result: DigestClaimResult = { digests: 0, rows: 0, skipped: 0, batches: 0 };
  const now = at(ctx.now);
  const lease = new Date(ctx.now.getTime() + CLAIM_LEASE_MS);
  const jobs: DigestEmailJob[] = [];
  const open = new Map<string, DigestEmailJob>();
  const hour = sql`make_time(${settings.hour}::int, 0, 0)`;
  const weekday = sql`${settings.weekday}::int`;
  while (result.batches < MAX_BATCHES) {
    const { rows } = await ctx.db.execute<{ id: string; user_id: string; period: 'daily' | 'weekly'; until: string; email_status: string }>(sql`with candidates as (
        select n.id, n.user_id, n.created_at,
          coalesce(np.frequency, 'immediate') as frequency,
          coalesce(np.email_enabled, true) and up.notifications_email is not false and ${typeSwitch(sql`n.type`)} as email,
          coalesce(nullif(up.timezone, ''), nullif(r.timezone, ''), 'UTC') as wanted_zone
        from notifications n
        join users r on r.id = n.user_id and r.deleted_at is null
        left join notification_preferences np on np.user_id = r.id and np.notification_type = n.type
        left join user_preferences up on up.user_id = r.id
        where n.email_status = 'digest' and (n.email_scheduled_at is null or n.email_scheduled_at <= ${now})
          and (n.expires_at is null or n.expires_at > ${now})),
      zoned as (
        select c.*, coalesce(z.name, 'UTC') as zone, ${now} at time zone coalesce(z.name, 'UTC') as local
        from candidates c left join pg_timezone_names z on lower(z.name) = lower(c.wanted_zone)),
      cut as (
        select zd.id, zd.user_id, zd.created_at, zd.zone, zd.email, zd.frequency,
          case when zd.frequency = 'weekly' then 'weekly' else 'daily' end as period,
          case when zd.frequency = 'weekly'
            then zd.local::date - ((extract(isodow from zd.local)::int - ${weekday} + 7) % 7)
              - case when extract(isodow from zd.local)::int = ${weekday} and zd.local::time < ${hour} then 7 else 0 end
            else zd.local::date - case when zd.local::time < ${hour} then 1 else 0 end
          end as until
        from zoned zd),
      due as (
        select c.id, c.user_id, c.period, c.until,
          case when not c.email or c.frequency = 'never' then 'skipped' else 'digest' end as status
        from cut c
        where c.created_at < (c.until::timestamp at time zone c.zone)
        order by c.user_id, c.created_at, c.id
        limit ${CLAIM_BATCH})
      update notifications n
      set email_status = due.status,
        email_scheduled_at = case due.status when 'digest' then ${at(lease)} end
      from due
      where n.id = due.id and n.email_status = 'digest' and (n.email_scheduled_at is null or n.email_scheduled_at <= ${now})
      returning n.id, n.user_id, due.period, due.until::text as until, n.email_status`);
    result.batches++;
    for (const r of rows) {
      if (r.email_status !== 'digest') {
        result.skipped++;
        continue;
      }
      result.rows++;
      const key = `${r.user_id}:${r.period}`;
      let group = open.get(key);
      if (!group || group.ids.length >= DIGEST_MAX_ITEMS) {
        group = { kind: 'digest-email', userId: r.user_id, period: r.period, until: r.until, ids: [], lease: lease.toISOString() };
        open.set(key, group);
        jobs.push(group);
      }
      group.ids.push(r.id);
    }
    if (rows.length < CLAIM_BATCH) break;
  }
  await enqueue(ctx, jobs);
  result.digests = jobs.length;
  return result;
}
