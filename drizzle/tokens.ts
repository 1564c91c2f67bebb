import {
  boolean,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

/**
 * `email` is the address being verified, which can differ from the user's current one (an email
 * change keeps the old address until the new one is verified). `token` holds the SHA-256 of the
 * token sent by email, never the token itself.
 */
export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    token: varchar({ length: 255 }).notNull(),
    email: varchar({ length: 255 }).notNull(),
    /** For an email change: the user's address when the change was requested (null: verifying the current address). */
    previousEmail: varchar('previous_email', { length: 255 }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    used: boolean().default(false),
    usedAt: timestamp('used_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    unique('email_verification_tokens_token_unique').on(t.token),
    index('email_verification_tokens_user_id_idx').on(t.userId),
    index('email_verification_tokens_email_idx').on(t.email),
    index('email_verification_tokens_expires_at_idx').on(t.expiresAt),
    index('email_verification_tokens_used_idx').on(t.used),
    foreignKey({
      name: 'email_verification_tokens_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

/** `token` holds the SHA-256 of the token sent by email, never the token itself. */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    token: varchar({ length: 255 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    used: boolean().default(false),
    usedAt: timestamp('used_at', { withTimezone: true }),
    ipAddress: varchar('ip_address', { length: 45 }),
    userAgent: text('user_agent'),
    ...timestamps(),
  },
  (t) => [
    unique('password_reset_tokens_token_unique').on(t.token),
    index('password_reset_tokens_user_id_idx').on(t.userId),
    index('password_reset_tokens_expires_at_idx').on(t.expiresAt),
    index('password_reset_tokens_used_idx').on(t.used),
    foreignKey({
      name: 'password_reset_tokens_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export type EmailVerificationToken = typeof emailVerificationTokens.$inferSelect;
export type NewEmailVerificationToken = typeof emailVerificationTokens.$inferInsert;
export type PasswordResetToken = typeof passwordResetTokens.$inferSelect;
export type NewPasswordResetToken = typeof passwordResetTokens.$inferInsert;
