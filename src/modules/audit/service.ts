import { SQL } from 'drizzle-orm';
import { auditLogs, sessionSecurityEvents } from '../../../drizzle';
import type { ServiceContext } from '../../lib/service-context';

export type AuditAction = NonNullable<(typeof auditLogs.$inferInsert)['action']>;
export type Severity = 'low' | 'medium' | 'high' | 'critical';

const SECRET_KEY = /pass(word)?|secret|token|hash|backup_?codes|api_?key|private|credential/i;
const REDACTED = '[REDACTED]';

/** Deep copy with every secret-looking field replaced, so audit rows never hold secrets. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
  }
  return value;
}

export interface AuditEntry {
  /** Overrides the acting user and session (e.g. at login and registration, before there is an actor). */
  userId?: string | null;
  sessionId?: string | null;
  entityType: string;
  entityId: string | null;
  action: AuditAction;
  description?: string;
  /** A value, or SQL that reads the old state inside the batch (put the audit insert before the change). */
  oldValues?: unknown;
  newValues?: unknown;
  metadata?: Record<string, unknown>;
}

/**
 * The audit row for a change, as an unexecuted insert: callers put it in the same `db.batch`
 * as the change it records, so both commit or neither does.
 */
export function auditInsert(ctx: ServiceContext, entry: AuditEntry) {
  return ctx.db.insert(auditLogs).values({
    userId: entry.userId !== undefined ? entry.userId : (ctx.actor?.userId ?? null),
    sessionId: entry.sessionId !== undefined ? entry.sessionId : (ctx.actor?.sessionId ?? null),
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    description: entry.description ?? null,
    oldValues: entry.oldValues === undefined ? null : entry.oldValues instanceof SQL ? entry.oldValues : redact(entry.oldValues),
    newValues: entry.newValues === undefined ? null : redact(entry.newValues),
    ipAddress: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    source: ctx.source,
    metadata: { requestId: ctx.requestId, ...(entry.metadata ? (redact(entry.metadata) as Record<string, unknown>) : {}) },
    createdAt: ctx.now,
  });
}

export interface SecurityEventEntry {
  userId: string | null;
  sessionId: string | null;
  eventType: string;
  severity: Severity;
  description: string;
  data?: Record<string, unknown>;
}

/** A `session_security_events` row, as an unexecuted insert for a batch. */
export function securityEventInsert(ctx: ServiceContext, event: SecurityEventEntry) {
  return ctx.db.insert(sessionSecurityEvents).values({
    userId: event.userId,
    sessionId: event.sessionId,
    eventType: event.eventType,
    severity: event.severity,
    description: event.description,
    ipAddress: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    eventData: event.data ? (redact(event.data) as Record<string, unknown>) : null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
}
