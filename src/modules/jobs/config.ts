import type { Env } from '../../env';

/** A whole number >= 0 from a variable, or the default when unset, empty or not such a number. */
export function wholeNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export interface RetentionSettings {
  /** Days an expired or revoked session is kept after it ended. */
  sessionDays: number;
  /** Days a used or expired verification or reset token is kept. */
  tokenDays: number;
  /** Days an expired notification is kept after its expiry. */
  notificationDays: number;
  /** Days session activity is kept. */
  activityDays: number;
  /** Days a resolved security event is kept after it was resolved. */
  securityEventDays: number;
  /** Days audit rows are kept; null keeps them for ever (the default). */
  auditDays: number | null;
  /** Rows removed per table per batch. */
  batchSize: number;
  /** Batches per run at most (the rest waits for the next run). */
  maxBatches: number;
  /** Minutes between two runs. */
  everyMinutes: number;
}

export function retentionSettings(env: Env): RetentionSettings {
  const audit = env.RETENTION_AUDIT_DAYS?.trim();
  return {
    sessionDays: wholeNumber(env.RETENTION_SESSION_DAYS, 30),
    tokenDays: wholeNumber(env.RETENTION_TOKEN_DAYS, 7),
    notificationDays: wholeNumber(env.RETENTION_NOTIFICATION_DAYS, 0),
    activityDays: wholeNumber(env.RETENTION_ACTIVITY_DAYS, 90),
    securityEventDays: wholeNumber(env.RETENTION_SECURITY_EVENT_DAYS, 365),
    auditDays: audit ? wholeNumber(audit, 0) || null : null,
    batchSize: Math.max(1, Math.min(wholeNumber(env.RETENTION_BATCH_SIZE, 1000), 10_000)),
    maxBatches: Math.max(1, wholeNumber(env.RETENTION_MAX_BATCHES, 10)),
    everyMinutes: Math.max(1, wholeNumber(env.RETENTION_EVERY_MINUTES, 60)),
  };
}

export interface EmailJobSettings {
  /** Retries of a failing send before the row is marked failed (the email consumer's max_retries in wrangler.toml). */
  maxRetries: number;
  /** Local hour (0-23) at which digests are sent. */
  digestHour: number;
  /** ISO weekday (1 = Monday … 7 = Sunday) of the weekly digest. */
  digestWeekday: number;
}

export function emailJobSettings(env: Env): EmailJobSettings {
  return {
    maxRetries: wholeNumber(env.EMAIL_MAX_RETRIES, 5),
    digestHour: Math.min(wholeNumber(env.DIGEST_HOUR, 8), 23),
    digestWeekday: Math.min(Math.max(wholeNumber(env.DIGEST_WEEKDAY, 1), 1), 7),
  };
}
