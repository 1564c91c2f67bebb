import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../../lib/service-context';

export interface ActivityRecord {
  sessionId: string;
  activityType: 'api_call' | 'page_view';
  resource: string;
  method: string | null;
  statusCode: number | null;
  durationMs: number | null;
  data?: Record<string, unknown>;
}

/** One `session_activity` row on its way through the activity queue (ACTIVITY_QUEUE). */
export interface ActivityMessage {
  kind: 'activity';
  /** The row's id, chosen by the request: a message delivered twice writes one row. */
  id: string;
  sessionId: string;
  activityType: ActivityRecord['activityType'];
  resource: string;
  method: string | null;
  statusCode: number | null;
  ipAddress: string | null;
  userAgent: string | null;
  requestData: Record<string, unknown>;
  createdAt: string;
}

/** Largest page-view `data` accepted, in bytes of its JSON (UTF-8): each view becomes a `session_activity` row. */
export const MAX_PAGE_VIEW_DATA_BYTES = 4096;

/** The size of a value as the row stores it: its JSON, in UTF-8 bytes. */
export const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

const sampleRate = (value: string | undefined) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : 1;
};

/** Postgres text and jsonb cannot hold NUL: one in a path or page-view field would fail the consumer's whole batch. */
const withoutNul = (text: string) => text.replaceAll('\u0000', '');
const cleanData = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [withoutNul(key), typeof value === 'string' ? withoutNul(value) : value]));

/**
 * Session activity, durable and off the request path: each recorded call or page view is sent to
 * the activity queue after the response (`waitUntil`; a queue send, no database round trip), and
 * the queue's consumer writes the rows in batches (`writeActivity`). A message that cannot be
 * written is retried, then dead-lettered and written once more from there.
 */
export function recordActivity(ctx: ServiceContext, record: ActivityRecord): void {
  if (Math.random() >= sampleRate(ctx.env.ACTIVITY_SAMPLE_RATE)) return;
  const message: ActivityMessage = {
    kind: 'activity',
    id: crypto.randomUUID(),
    sessionId: record.sessionId,
    activityType: record.activityType,
    resource: withoutNul(record.resource).slice(0, 200),
    method: record.method,
    statusCode: record.statusCode,
    ipAddress: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    requestData: { ...(record.durationMs !== null ? { durationMs: record.durationMs } : {}), ...(record.data ? cleanData(record.data) : {}) },
    createdAt: ctx.now.toISOString(),
  };
  ctx.waitUntil(
    ctx.env.ACTIVITY_QUEUE.send(message, { contentType: 'json' }).catch((error: unknown) =>
      ctx.logger.warn('could not queue session activity', { sessionId: record.sessionId, error: String(error) }),
    ),
  );
}

/**
 * Writes a batch of activity messages in ONE statement: the rows (skipping sessions that no longer
 * exist, and rows already written by an earlier delivery), then each session's `last_activity_at`
 * and `activity_count` from the rows actually inserted. Returns the rows written.
 */
export async function writeActivity(ctx: ServiceContext, messages: ActivityMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = JSON.stringify(messages.map(({ kind: _kind, ...row }) => row));
  const result = await ctx.db.execute<{ written: number }>(sql`with v as (
      select * from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, "sessionId" uuid, "activityType" text, resource text, method text,
        "statusCode" int, "ipAddress" text, "userAgent" text, "requestData" jsonb, "createdAt" timestamptz)),
    inserted as (
      insert into session_activity (id, session_id, activity_type, resource, method, status_code, ip_address, user_agent, request_data, created_at)
      select v.id, v."sessionId", v."activityType", v.resource, v.method, v."statusCode", v."ipAddress", v."userAgent", v."requestData", v."createdAt"
      from v where exists (select 1 from user_sessions s where s.id = v."sessionId")
      on conflict (id) do nothing
      returning session_id, created_at),
    touched as (
      update user_sessions s
      set last_activity_at = greatest(s.last_activity_at, a.last_at), activity_count = coalesce(s.activity_count, 0) + a.n
      from (select session_id, count(*)::int as n, max(created_at) as last_at from inserted group by session_id) a
      where s.id = a.session_id
      returning 1)
    select (select count(*) from inserted)::int as written`);
  return Number(result.rows[0]?.written ?? 0);
}
