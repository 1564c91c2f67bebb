import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { auditLogs, sessionSecurityEvents } from '../../../drizzle';
import { abortUnless, guardedBatch } from '../../lib/batch-guard';
import { fromBase64, toBase64Url } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { auditInsert, type AuditAction, type Severity } from './service';

/** Keyset cursor over (created_at desc, id desc): stable while rows are being inserted. */
interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (row: { createdAt: Date; id: string }) => toBase64Url(new TextEncoder().encode(JSON.stringify({ at: row.createdAt.toISOString(), id: row.id })));

export function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(fromBase64(value))) as Cursor;
    if (typeof parsed.at === 'string' && typeof parsed.id === 'string' && !Number.isNaN(Date.parse(parsed.at)) && /^[0-9a-f-]{36}$/.test(parsed.id)) return parsed;
  } catch {
    // fall through to the validation error
  }
  throw new ApiError('VALIDATION_ERROR', 'Invalid cursor', { details: [{ field: 'query.cursor', message: 'Invalid cursor', code: 'invalid_cursor' }] });
}

/**
 * Rows strictly after the cursor in (created_at desc, id desc) order: a row-value comparison,
 * which Postgres answers from the (created_at, id) index however deep the page.
 */
const after = (table: { createdAt: typeof auditLogs.createdAt | typeof sessionSecurityEvents.createdAt; id: typeof auditLogs.id | typeof sessionSecurityEvents.id }, cursor: Cursor | undefined) =>
  cursor ? sql`(${table.createdAt}, ${table.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined;

export interface AuditQuery {
  userId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: AuditAction | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const auditColumns = {
  id: auditLogs.id,
  userId: auditLogs.userId,
  sessionId: auditLogs.sessionId,
  entityType: auditLogs.entityType,
  entityId: auditLogs.entityId,
  action: auditLogs.action,
  description: auditLogs.description,
  oldValues: auditLogs.oldValues,
  newValues: auditLogs.newValues,
  ipAddress: auditLogs.ipAddress,
  userAgent: auditLogs.userAgent,
  source: auditLogs.source,
  metadata: auditLogs.metadata,
  createdAt: auditLogs.createdAt,
};

/** Newest first, one page (limit + 1 rows read to know whether there is a next page). */
export async function listAuditLogs(ctx: ServiceContext, q: AuditQuery) {
  const where: (SQL | undefined)[] = [
    q.userId ? eq(auditLogs.userId, q.userId) : undefined,
    q.entityType ? eq(auditLogs.entityType, q.entityType) : undefined,
    q.entityId ? eq(auditLogs.entityId, q.entityId) : undefined,
    q.action ? eq(auditLogs.action, q.action) : undefined,
    q.from ? gte(auditLogs.createdAt, new Date(q.from)) : undefined,
    q.to ? lte(auditLogs.createdAt, new Date(q.to)) : undefined,
    after(auditLogs, decodeCursor(q.cursor)),
  ];
  const rows = await ctx.db.select(auditColumns).from(auditLogs).where(and(...where)).orderBy(desc(auditLogs.createdAt), desc(auditLogs.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    pagination: { limit: q.limit, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null },
  };
}

export interface SecurityEventQuery {
  userId?: string | undefined;
  eventType?: string | undefined;
  severity?: Severity | undefined;
  resolved?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

const eventColumns = {
  id: sessionSecurityEvents.id,
  userId: sessionSecurityEvents.userId,
  sessionId: sessionSecurityEvents.sessionId,
  eventType: sessionSecurityEvents.eventType,
  severity: sessionSecurityEvents.severity,
  description: sessionSecurityEvents.description,
  ipAddress: sessionSecurityEvents.ipAddress,
  userAgent: sessionSecurityEvents.userAgent,
  eventData: sessionSecurityEvents.eventData,
  resolved: sessionSecurityEvents.resolved,
  resolvedAt: sessionSecurityEvents.resolvedAt,
  resolvedBy: sessionSecurityEvents.resolvedBy,
  createdAt: sessionSecurityEvents.createdAt,
};

type EventRow = Pick<typeof sessionSecurityEvents.$inferSelect, keyof typeof eventColumns>;
const toEvent = (r: EventRow) => ({ ...r, resolved: r.resolved ?? false, resolvedAt: r.resolvedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() });

export async function listSecurityEvents(ctx: ServiceContext, q: SecurityEventQuery) {
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select(eventColumns)
    .from(sessionSecurityEvents)
    .where(
      and(
        q.userId ? eq(sessionSecurityEvents.userId, q.userId) : undefined,
        q.eventType ? eq(sessionSecurityEvents.eventType, q.eventType) : undefined,
        q.severity ? eq(sessionSecurityEvents.severity, q.severity) : undefined,
        q.resolved === undefined ? undefined : q.resolved ? eq(sessionSecurityEvents.resolved, true) : sql`${sessionSecurityEvents.resolved} is not true`,
        after(sessionSecurityEvents, cursor),
      ),
    )
    .orderBy(desc(sessionSecurityEvents.createdAt), desc(sessionSecurityEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toEvent), pagination: { limit: q.limit, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null } };
}

/** Marks a security event resolved by the caller, with its audit row, in one batch. */
export async function resolveSecurityEvent(ctx: ServiceContext, id: string, note?: string) {
  const [, rows] = await guardedBatch(() => ctx.db.batch([
    abortUnless(ctx.db, sql`exists (select 1 from session_security_events e where e.id = ${id})`, 'NOT_FOUND'),
    ctx.db
      .update(sessionSecurityEvents)
      .set({ resolved: true, resolvedAt: ctx.now, resolvedBy: ctx.actor?.userId ?? null, updatedAt: ctx.now })
      .where(eq(sessionSecurityEvents.id, id))
      .returning(eventColumns),
    auditInsert(ctx, { entityType: 'security_event', entityId: id, action: 'update', description: 'Resolved', newValues: { resolved: true, ...(note ? { note } : {}) } }),
  ]), { NOT_FOUND: 'Security event not found' });
  const row = rows[0];
  if (!row) throw new ApiError('NOT_FOUND', 'Security event not found');
  return toEvent(row);
}
