import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { isOneOf, timestamps } from './columns';

export const userStatuses = ['active', 'inactive', 'suspended', 'pending'] as const;

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: varchar({ length: 255 }).notNull(),
    username: varchar({ length: 100 }).notNull(),
    password: varchar({ length: 255 }).notNull(),
    firstName: varchar('first_name', { length: 100 }),
    lastName: varchar('last_name', { length: 100 }),
    isActive: boolean('is_active').default(true),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    ...timestamps(),
    avatarUrl: varchar('avatar_url', { length: 500 }),
    name: varchar({ length: 200 }),
    status: text({ enum: userStatuses }).default('pending'),
    emailVerified: boolean('email_verified').default(false),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    twoFactorEnabled: boolean('two_factor_enabled').default(false),
    twoFactorSecret: varchar('two_factor_secret', { length: 255 }),
    twoFactorBackupCodes: jsonb('two_factor_backup_codes').$type<string[]>(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    bio: text(),
    timezone: varchar({ length: 100 }).default('UTC'),
    language: varchar({ length: 10 }).default('en'),
    dateOfBirth: date('date_of_birth'),
    phone: varchar({ length: 20 }),
    // Added by the authentication core (migration 0001): lockout with back-off.
    failedLoginAttempts: integer('failed_login_attempts').notNull().default(0),
    lastFailedLoginAt: timestamp('last_failed_login_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    // Added by account security: `two_factor_secret` holds the TOTP secret sealed
    // with AES-GCM (ENCRYPTION_KEY), `two_factor_backup_codes` keyed hashes of the backup codes.
    /** The last TOTP time step accepted (unix seconds / 30): a code is never accepted twice. */
    twoFactorLastStep: integer('two_factor_last_step'),
  },
  (t) => [
    unique('users_email_unique').on(t.email),
    unique('users_username_unique').on(t.username),
    check('users_status_check', isOneOf(t.status, userStatuses)),
    index('users_is_active_idx').on(t.isActive),
    index('users_status_idx').on(t.status),
    index('users_email_verified_idx').on(t.emailVerified),
    index('users_two_factor_enabled_idx').on(t.twoFactorEnabled),
    index('users_deleted_at_idx').on(t.deletedAt),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
