import {
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, isOneOf } from './columns';
import { userSessions } from './sessions';
import { users } from './users';

export const auditActions = ['create', 'read', 'update', 'delete', 'login', 'logout'] as const;

/** Append-only: rows are never updated, so there is no `updated_at`. */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id'),
    sessionId: uuid('session_id'),
    entityType: varchar('entity_type', { length: 100 }).notNull(),
    entityId: varchar('entity_id', { length: 255 }),
    action: text({ enum: auditActions }).notNull(),
    description: text(),
    oldValues: jsonb('old_values'),
    newValues: jsonb('new_values'),
    ipAddress: varchar('ip_address', { length: 45 }),
    userAgent: text('user_agent'),
    source: varchar({ length: 50 }).default('web'),
    metadata: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [
    check('audit_logs_action_check', isOneOf(t.action, auditActions)),
    // Keyset pages (newest first) read these: (created_at, id) overall, per user with the user first.
    index('audit_logs_user_id_created_at_idx').on(t.userId, t.createdAt, t.id),
    index('audit_logs_entity_type_entity_id_idx').on(t.entityType, t.entityId),
    index('audit_logs_session_id_idx').on(t.sessionId),
    index('audit_logs_entity_id_idx').on(t.entityId),
    index('audit_logs_action_idx').on(t.action),
    index('audit_logs_created_at_id_idx').on(t.createdAt, t.id),
    foreignKey({
      name: 'audit_logs_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'audit_logs_session_id_fkey',
      columns: [t.sessionId],
      foreignColumns: [userSessions.id],
    }).onDelete('set null'),
  ],
);

export type AuditLog = typeof auditLogs.$inferSelect;
export type NewAuditLog = typeof auditLogs.$inferInsert;
