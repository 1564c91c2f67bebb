import { foreignKey, integer, pgTable, primaryKey, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

/**
 * Login throttling per (account, source). `source` is the client's address (an IPv4 address, or
 * an IPv6 /64 prefix). Failures from one source slow down that source only; `last_success_at`
 * marks a source the account has signed in from, which the account-wide limit (on `users`) never
 * slows down. Not in the original schema: it replaces the account-wide lock that anyone knowing
 * an email address could hold forever.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    userId: uuid('user_id').notNull(),
    source: varchar({ length: 64 }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ name: 'login_throttles_pkey', columns: [t.userId, t.source] }),
    foreignKey({ name: 'login_throttles_user_id_fkey', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
  ],
);

export type LoginThrottle = typeof loginThrottles.$inferSelect;
export type NewLoginThrottle = typeof loginThrottles.$inferInsert;
