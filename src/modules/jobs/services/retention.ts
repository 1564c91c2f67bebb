import { sql, type SQL } from 'drizzle-orm';
import type { RetentionSettings } from '../config';
import type { JobContext } from '../context';

/*
 * Retention clean-up: rows past their retention are removed in bounded batches, every table in
 * ONE statement per batch (data-modifying CTEs, each `DELETE … WHERE id IN (SELECT … LIMIT n)`),
 * which also writes one audit row with the counts when it removed anything. A run repeats batches
 * while a table still had a full batch to remove, up to `maxBatches`, so one run stays within the
 * Workers limits whatever the backlog; the rest waits for the next run.
 */

export const RETENTION_TABLES = ['sessions', 'verificationTokens', 'resetTokens', 'notifications', 'sessionActivity', 'securityEvents', 'auditLogs'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];
export type RetentionCounts = Record<RetentionTable, number>;

const DAY_MS = 86_400_000;
const before = (now: Date, days: number) => sql`${new Date(now.getTime() - days * DAY_MS).toISOString()}::timestamptz`;

/** Per table: the rows past retention at `now` (a WHERE on the table's own columns), or null when kept for ever. */
function conditions(settings: RetentionSettings, now: Date): Record<RetentionTable, { table: string; where: SQL } | null> {
  const session = before(now, settings.sessionDays);
  const token = before(now, settings.tokenDays);
  return {
    // Ended (revoked, idle-expired or past the absolute lifetime) more than sessionDays ago. Their activity goes with them.
    sessions: { table: 'user_sessions', where: sql`revoked_at < ${session} or expires_at < ${session} or absolute_expires_at < ${session}` },
    verificationTokens: { table: 'email_verification_tokens', where: sql`expires_at < ${token} or (used and coalesce(used_at, updated_at) < ${token})` },
    resetTokens: { table: 'password_reset_tokens', where: sql`expires_at < ${token} or (used and coalesce(used_at, updated_at) < ${token})` },
    notifications: { table: 'notifications', where: sql`expires_at < ${before(now, settings.notificationDays)}` },
    sessionActivity: { table: 'session_activity', where: sql`created_at < ${before(now, settings.activityDays)}` },
    securityEvents: { table: 'session_security_events', where: sql`resolved and resolved_at < ${before(now, settings.securityEventDays)}` },
    auditLogs: settings.auditDays === null ? null : { table: 'audit_logs', where: sql`created_at < ${before(now, settings.auditDays)}` },
  };
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One batch: every table's delete and the audit row, one statement (one round trip). */
async function removeBatch(ctx: JobContext, settings: RetentionSettings): Promise<RetentionCounts> {
  const active = Object.entries(conditions(settings, ctx.now)).filter((e): e is [RetentionTable, { table: string; where: SQL }] => e[1] !== null);
  const ctes = active.map(
    ([name, { table, where }]) =>
      sql`${sql.identifier(`d_${snake(name)}`)} as (delete from ${sql.identifier(table)} where id in
        (select id from ${sql.identifier(table)} where ${where} limit ${settings.batchSize}) returning 1)`,
  );
  const counts = active.map(([name]) => sql`(select count(*) from ${sql.identifier(`d_${snake(name)}`)})::int as ${sql.identifier(name)}`);
  const total = sql.join(
    active.map(([name]) => sql`(select count(*) from ${sql.identifier(`d_${snake(name)}`)})`),
    sql` + `,
  );
  const removed = sql`jsonb_build_object(${sql.join(
    active.map(([name]) => sql`${name}::text, (select count(*) from ${sql.identifier(`d_${snake(name)}`)})`),
    sql`, `,
  )})`;
  const result = await ctx.db.execute<Record<RetentionTable, number>>(sql`with ${sql.join(ctes, sql`, `)},
    audit as (insert into audit_logs (entity_type, entity_id, action, description, new_values, source, metadata, created_at)
      select 'retention', null, 'delete', 'Retention clean-up removed rows past their retention', ${removed}, 'system',
        jsonb_build_object('requestId', ${ctx.requestId}::text), ${ctx.now.toISOString()}::timestamptz
      where ${total} > 0)
    select ${sql.join(counts, sql`, `)}`);
  const row = result.rows[0] ?? {};
  return Object.fromEntries(RETENTION_TABLES.map((name) => [name, Number((row as Record<string, unknown>)[name] ?? 0)])) as RetentionCounts;
}

/** Removes what is past retention at the run's clock, batch after batch; returns the rows removed per table and the batches run. */
export async function removeExpiredRows(ctx: JobContext, settings: RetentionSettings): Promise<{ removed: RetentionCounts; batches: number }> {
  const removed = Object.fromEntries(RETENTION_TABLES.map((name) => [name, 0])) as RetentionCounts;
  let batches = 0;
  while (batches < settings.maxBatches) {
    const counts = await removeBatch(ctx, settings);
    batches++;
    for (const name of RETENTION_TABLES) removed[name] += counts[name];
    if (!RETENTION_TABLES.some((name) => counts[name] >= settings.batchSize)) break;
  }
  return { removed, batches };
}
