import type { ActivityMessage } from './modules/auth/services/activity';
import type { EmailJob } from './modules/notifications/services/email-claims';

/** Bindings and variables the Worker receives (wrangler.toml, .dev.vars, `wrangler secret put`). */
export interface Env {
  /** Postgres connection string (Neon in production). Secret. */
  DATABASE_URL: string;
  /** Dev and tests only: the local Neon-compatible SQL-over-HTTP endpoint. Never set in production. */
  LOCAL_DB_ENDPOINT?: string;
  /** HMAC secret for access tokens (at least 32 bytes). Secret. */
  JWT_SECRET: string;
  /** Base64 32-byte key for encrypting secrets at rest (AES-GCM). Secret. */
  ENCRYPTION_KEY: string;

  APP_ENV: 'development' | 'test' | 'production';
  APP_VERSION: string;
  /** Comma-separated list of allowed browser origins, or `*` in development. */
  CORS_ORIGINS: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  /** Access token lifetime in seconds. */
  ACCESS_TOKEN_TTL: string;
  /** Refresh session idle timeout in seconds (default 7 days). */
  REFRESH_IDLE_TTL: string;
  /** Refresh session absolute lifetime in seconds (default 30 days). */
  REFRESH_ABSOLUTE_TTL: string;
  /** Seconds during which a just-rotated refresh token still answers (concurrent tabs). */
  REFRESH_REUSE_GRACE: string;
  /** SameSite attribute of the refresh-token cookie: Strict, Lax or None. */
  REFRESH_COOKIE_SAMESITE: string;
  /** bcrypt cost for new password hashes (default 10); older hashes are upgraded at login. */
  BCRYPT_COST: string;
  /** Share of API calls recorded as session activity, 0..1 (default 1). */
  ACTIVITY_SAMPLE_RATE: string;
  /** Largest JSON request body accepted, in bytes. */
  MAX_BODY_BYTES: string;
  /** Abort a database round trip after this many milliseconds (answers 503). */
  DB_TIMEOUT_MS: string;

  /** Base URL of the front end: the links in emails point there (e.g. `${FRONTEND_URL}/auth/reset-password?token=…`). */
  FRONTEND_URL: string;
  /** Sender of every email, e.g. `AegisX <no-reply@example.com>`. */
  EMAIL_FROM: string;
  /**
   * How email leaves: `outbox` (KV, listed by GET /api/dev/outbox; never in production), `http`
   * (an email API over fetch) or `cloudflare` (the SEND_EMAIL binding). Unset: `outbox` outside
   * production; in production `http` when EMAIL_API_URL is set, else `cloudflare`.
   */
  EMAIL_TRANSPORT?: string;
  /** `http` transport: the endpoint that sends one message (e.g. https://api.resend.com/emails). */
  EMAIL_API_URL?: string;
  /** `http` transport: the request body's shape, `resend` (default) or `postmark`. */
  EMAIL_API_FORMAT?: string;
  /** `http` transport: the API key. Secret. */
  EMAIL_API_KEY?: string;
  /** `cloudflare` transport: Cloudflare's `send_email` binding. */
  SEND_EMAIL?: SendEmail;

  /** Retries of a failing notification email before it is marked failed: the email consumer's `max_retries` in wrangler.toml (default 5). */
  EMAIL_MAX_RETRIES?: string;
  /** Local hour (0-23, in each user's time zone) at which notification digests are sent (default 8). */
  DIGEST_HOUR?: string;
  /** ISO weekday of the weekly digest, 1 = Monday … 7 = Sunday (default 1). */
  DIGEST_WEEKDAY?: string;
  /** Retention clean-up, in days: ended sessions (30), used or expired tokens (7), expired notifications (0), session activity (90), resolved security events (365), audit rows (unset: kept). */
  RETENTION_SESSION_DAYS?: string;
  RETENTION_TOKEN_DAYS?: string;
  RETENTION_NOTIFICATION_DAYS?: string;
  RETENTION_ACTIVITY_DAYS?: string;
  RETENTION_SECURITY_EVENT_DAYS?: string;
  RETENTION_AUDIT_DAYS?: string;
  /** Retention clean-up: rows per table per batch (1000), batches per run (10), minutes between runs (60). */
  RETENTION_BATCH_SIZE?: string;
  RETENTION_MAX_BATCHES?: string;
  RETENTION_EVERY_MINUTES?: string;

  /** Cloudflare Queue of notification emails and digests to send (consumed by this Worker). */
  EMAIL_QUEUE: Queue<EmailJob>;
  /** Cloudflare Queue of session activity rows to write (consumed by this Worker). */
  ACTIVITY_QUEUE: Queue<ActivityMessage>;
  /** Workers KV: cache of public system settings, themes and navigation. */
  CACHE: KVNamespace;
  /** R2: avatar images. */
  FILES: R2Bucket;
  /** Workers Rate Limiting: authentication endpoints per client IP. */
  RATE_LIMIT_AUTH: RateLimit;
  /** Workers Rate Limiting: login attempts per account identifier. */
  RATE_LIMIT_LOGIN: RateLimit;
  /** Workers Rate Limiting: emails requested per address (verification, password reset). */
  RATE_LIMIT_EMAIL: RateLimit;
  /** Workers Rate Limiting: avatar uploads per user. */
  RATE_LIMIT_UPLOAD: RateLimit;
  /** Static assets (the offline API docs page). */
  ASSETS?: Fetcher;
}
