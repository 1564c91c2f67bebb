import { is, SQL, sql } from 'drizzle-orm';
import { redact, type AuditAction } from '../modules/audit/service';
import type { ServiceContext } from './service-context';

export interface SnapshotAuditEntry {
  entityType: string;
  entityId: string;
  action: AuditAction;
  description?: string;
  /**
   * The old values as SQL evaluated when the statement runs, i.e. before the change that follows
   * it in the same batch (typically a scalar `(select json_build_object(...) from t where ...)`).
   * It is stored as is: select only non-secret columns.
   */
  oldValues?: SQL;
  /** The new values: known values (redacted like every audit row), or SQL like `oldValues`. */
  newValues?: unknown;
  metadata?: Record<string, unknown>;
  /** Write the row only when this condition holds: the same guard as the change it records. */
  when?: SQL;
}

/**
 * An audit row as an unexecuted `INSERT ... SELECT` for a `db.batch`: like `auditInsert`, but
 * the old values are read by the database in the same transaction (no read round trip before the
 * write), and the row is written only when the guarded change happens.
 */
export function auditSnapshotInsert(ctx: ServiceContext, entry: SnapshotAuditEntry) {
  const json = (value: unknown) =>
    value === undefined ? sql`null::jsonb` : is(value, SQL) ? sql`(${value})::jsonb` : sql`${JSON.stringify(redact(value))}::jsonb`;
  const metadata = { requestId: ctx.requestId, ...(entry.metadata ? (redact(entry.metadata) as Record<string, unknown>) : {}) };
  return ctx.db.execute(sql`insert into audit_logs
    (user_id, session_id, entity_type, entity_id, action, description, old_values, new_values, ip_address, user_agent, source, metadata, created_at)
    select ${ctx.actor?.userId ?? null}::uuid, ${ctx.actor?.sessionId ?? null}::uuid, ${entry.entityType}, ${entry.entityId}, ${entry.action},
      ${entry.description ?? null}, ${json(entry.oldValues)}, ${json(entry.newValues)},
      ${ctx.client.ip}, ${ctx.client.userAgent}, ${ctx.source}, ${JSON.stringify(metadata)}::jsonb, ${ctx.now.toISOString()}::timestamptz
    ${entry.when ? sql`where ${entry.when}` : sql``}`);
}
