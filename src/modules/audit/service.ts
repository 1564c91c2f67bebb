import type { Context } from 'hono';
import { auditLogs, sessionSecurityEvents } from '../../../drizzle';
import type { AppEnv } from '../../context';
import { clientInfo } from '../../lib/client-info';
import type { Database } from '../../lib/db';

export type AuditAction = (typeof auditLogs.$inferInsert)['action'];
export type AuditSource = 'web' | 'api' | 'mobile' | 'system';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Who did it, from where: the part of every audit row that comes from the request. */
export interface AuditContext {
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  source: AuditSource;
  requestId: string;
}

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

/** The request's audit context: actor, address, agent, and the source (actor type or `X-Client-Source`). */
export function auditContext(c: Context<AppEnv>, overrides: Partial<AuditContext> = {}): AuditContext {
  const actor = c.get('actor');
  const info = clientInfo(c.req.raw);
  const declared = c.req.header('x-client-source');
  const source: AuditSource =
    actor?.type === 'api_key' ? 'api' : declared === 'mobile' || declared === 'web' ? declared : 'web';
  return {
    userId: actor?.userId ?? null,
    sessionId: actor?.sessionId ?? null,
    ip: info.ip,
    userAgent: info.userAgent,
    source,
    requestId: c.get('requestId'),
    ...overrides,
  };
}

export interface AuditEntry {
  entityType: string;
  entityId: string | null;
  action: AuditAction;
  description?: string;
  oldValues?: unknown;
  newValues?: unknown;
  metadata?: Record<string, unknown>;
}

/**
 * The audit row for a change, as an unexecuted insert: callers put it in the same `db.batch`
 * as the change it records, so both commit or neither does.
 */
export function auditInsert(db: Database, ctx: AuditContext, entry: AuditEntry, at: Date) {
  return db.insert(auditLogs).values({
    userId: ctx.userId,
    sessionId: ctx.sessionId,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    description: entry.description ?? null,
    oldValues: entry.oldValues === undefined ? null : redact(entry.oldValues),
    newValues: entry.newValues === undefined ? null : redact(entry.newValues),
    ipAddress: ctx.ip,
    userAgent: ctx.userAgent,
    source: ctx.source,
    metadata: { requestId: ctx.requestId, ...(entry.metadata ? (redact(entry.metadata) as Record<string, unknown>) : {}) },
    createdAt: at,
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
export function securityEventInsert(db: Database, ctx: Pick<AuditContext, 'ip' | 'userAgent'>, event: SecurityEventEntry, at: Date) {
  return db.insert(sessionSecurityEvents).values({
    userId: event.userId,
    sessionId: event.sessionId,
    eventType: event.eventType,
    severity: event.severity,
    description: event.description,
    ipAddress: ctx.ip,
    userAgent: ctx.userAgent,
    eventData: event.data ? (redact(event.data) as Record<string, unknown>) : null,
    createdAt: at,
    updatedAt: at,
  });
}
