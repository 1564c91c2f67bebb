import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, isOneOf, timestamps } from './columns';
import { users } from './users';

export const securitySeverities = ['low', 'medium', 'high', 'critical'] as const;

/** One row per refresh token; `refresh_token` holds its SHA-256 hash, never the token itself. */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    refreshToken: varchar('refresh_token', { length: 500 }).notNull(),
    userAgent: varchar('user_agent', { length: 500 }),
    ipAddress: varchar('ip_address', { length: 45 }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    deviceType: varchar('device_type', { length: 20 }),
    deviceOs: varchar('device_os', { length: 50 }),
    deviceBrowser: varchar('device_browser', { length: 50 }),
    deviceName: varchar('device_name', { length: 100 }),
    locationCountry: varchar('location_country', { length: 100 }),
    locationRegion: varchar('location_region', { length: 100 }),
    locationCity: varchar('location_city', { length: 100 }),
    locationTimezone: varchar('location_timezone', { length: 100 }),
    locationLatitude: numeric('location_latitude', { precision: 10, scale: 8, mode: 'number' }),
    locationLongitude: numeric('location_longitude', { precision: 11, scale: 8, mode: 'number' }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    accessTokenHash: varchar('access_token_hash', { length: 255 }),
    isCurrentSession: boolean('is_current_session').default(false),
    activityCount: integer('activity_count').default(0),
    isSuspicious: boolean('is_suspicious').default(false),
    securityFlags: jsonb('security_flags').$type<string[]>(),
    sessionData: jsonb('session_data'),
    // Added by the authentication core (migration 0001): rotation, reuse detection, revocation.
    /** SHA-256 of the refresh token this one replaced (reuse detection and the grace window). */
    previousRefreshToken: varchar('previous_refresh_token', { length: 64 }),
    refreshRotatedAt: timestamp('refresh_rotated_at', { withTimezone: true }),
    /** Random salt of the last rotation: the successor token is HMAC(secret, token || salt). */
    refreshSalt: varchar('refresh_salt', { length: 64 }),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: varchar('revoked_reason', { length: 50 }),
    // Added by account security.
    /** Last fresh proof of identity in this session (login, or password / TOTP re-authentication). */
    reauthenticatedAt: timestamp('reauthenticated_at', { withTimezone: true }),
  },
  (t) => [
    unique('user_sessions_refresh_token_unique').on(t.refreshToken),
    index('user_sessions_user_id_idx').on(t.userId),
    index('user_sessions_expires_at_idx').on(t.expiresAt),
    index('user_sessions_previous_refresh_token_idx').on(t.previousRefreshToken),
    index('user_sessions_device_type_idx').on(t.deviceType),
    index('user_sessions_device_os_idx').on(t.deviceOs),
    index('user_sessions_location_country_idx').on(t.locationCountry),
    index('user_sessions_last_activity_at_idx').on(t.lastActivityAt),
    index('user_sessions_is_current_session_idx').on(t.isCurrentSession),
    index('user_sessions_is_suspicious_idx').on(t.isSuspicious),
    foreignKey({
      name: 'user_sessions_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export const sessionActivity = pgTable(
  'session_activity',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid('session_id').notNull(),
    activityType: varchar('activity_type', { length: 50 }).notNull(),
    resource: varchar({ length: 200 }),
    method: varchar({ length: 10 }),
    statusCode: integer('status_code'),
    ipAddress: varchar('ip_address', { length: 45 }),
    userAgent: text('user_agent'),
    requestData: jsonb('request_data'),
    responseData: jsonb('response_data'),
    createdAt: createdAt(),
  },
  (t) => [
    index('session_activity_session_id_activity_type_idx').on(t.sessionId, t.activityType),
    index('session_activity_activity_type_idx').on(t.activityType),
    index('session_activity_resource_idx').on(t.resource),
    index('session_activity_created_at_idx').on(t.createdAt),
    foreignKey({
      name: 'session_activity_session_id_fkey',
      columns: [t.sessionId],
      foreignColumns: [userSessions.id],
    }).onDelete('cascade'),
  ],
);

export const sessionSecurityEvents = pgTable(
  'session_security_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid('session_id'),
    userId: uuid('user_id'),
    eventType: varchar('event_type', { length: 50 }).notNull(),
    severity: varchar({ length: 20, enum: securitySeverities }).notNull(),
    description: text().notNull(),
    ipAddress: varchar('ip_address', { length: 45 }),
    userAgent: text('user_agent'),
    eventData: jsonb('event_data'),
    resolved: boolean().default(false),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by'),
    ...timestamps(),
  },
  (t) => [
    check('session_security_events_severity_check', isOneOf(t.severity, securitySeverities)),
    index('session_security_events_session_id_idx').on(t.sessionId),
    index('session_security_events_user_id_idx').on(t.userId),
    index('session_security_events_event_type_idx').on(t.eventType),
    index('session_security_events_severity_idx').on(t.severity),
    index('session_security_events_resolved_idx').on(t.resolved),
    index('session_security_events_created_at_idx').on(t.createdAt),
    index('session_security_events_resolved_by_idx').on(t.resolvedBy),
    foreignKey({
      name: 'session_security_events_session_id_fkey',
      columns: [t.sessionId],
      foreignColumns: [userSessions.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'session_security_events_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'session_security_events_resolved_by_fkey',
      columns: [t.resolvedBy],
      foreignColumns: [users.id],
    }).onDelete('set null'),
  ],
);

export type UserSession = typeof userSessions.$inferSelect;
export type NewUserSession = typeof userSessions.$inferInsert;
export type SessionActivity = typeof sessionActivity.$inferSelect;
export type NewSessionActivity = typeof sessionActivity.$inferInsert;
export type SessionSecurityEvent = typeof sessionSecurityEvents.$inferSelect;
export type NewSessionSecurityEvent = typeof sessionSecurityEvents.$inferInsert;
