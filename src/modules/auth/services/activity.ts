import { eq, sql } from 'drizzle-orm';
import { sessionActivity, userSessions } from '../../../../drizzle';
import { createDb } from '../../../lib/db';
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

interface Pending {
  rows: (typeof sessionActivity.$inferInsert)[];
  lastFlush: number;
}

/**
 * Write-behind buffer of session activity, per isolate. Each request adds its row in memory;
 * a session's rows (and its `last_activity_at` / `activity_count`) are written after the response
 * (`waitUntil`), at most once per ACTIVITY_FLUSH_SECONDS per session and isolate, in one batch.
 * Rows still buffered when the isolate is evicted are lost (activity is telemetry, not audit).
 */
const buffers = new Map<string, Pending>();

const number = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Postgres text and jsonb cannot hold NUL: one in a path or page-view field would fail the whole buffered batch. */
const withoutNul = (text: string) => text.replaceAll('\u0000', '');
const cleanData = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [withoutNul(key), typeof value === 'string' ? withoutNul(value) : value]));

export function recordActivity(ctx: ServiceContext, record: ActivityRecord): void {
  if (Math.random() >= number(ctx.env.ACTIVITY_SAMPLE_RATE, 1)) return;
  const pending = buffers.get(record.sessionId) ?? { rows: [], lastFlush: 0 };
  buffers.set(record.sessionId, pending);
  pending.rows.push({
    sessionId: record.sessionId,
    activityType: record.activityType,
    resource: withoutNul(record.resource).slice(0, 200),
    method: record.method,
    statusCode: record.statusCode,
    ipAddress: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    requestData: { ...(record.durationMs !== null ? { durationMs: record.durationMs } : {}), ...(record.data ? cleanData(record.data) : {}) },
    createdAt: ctx.now,
  });
  const intervalMs = number(ctx.env.ACTIVITY_FLUSH_SECONDS, 30) * 1000;
  if (ctx.now.getTime() - pending.lastFlush < intervalMs && pending.rows.length < 100) return;
  const rows = pending.rows.splice(0);
  pending.lastFlush = ctx.now.getTime();
  // Work after the response is tagged `<requestId>:after`, so it is not counted as the request's.
  const db = createDb(ctx.env, `${ctx.requestId}:after`);
  ctx.waitUntil(
    db
      .batch([
        db
          .update(userSessions)
          .set({ lastActivityAt: ctx.now, activityCount: sql`coalesce(${userSessions.activityCount}, 0) + ${rows.length}` })
          .where(eq(userSessions.id, record.sessionId)),
        db.insert(sessionActivity).values(rows),
      ])
      .catch((error: unknown) => ctx.logger.warn('could not write session activity', { sessionId: record.sessionId, error: String(error) })),
  );
}
