import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { sessionActivity, users, userSessions } from '../../../../drizzle';
import { sha256Hex } from '../../../lib/crypto';
import { clientSource } from '../../../lib/client-source';
import { ApiError } from '../../../lib/errors';
import { signToken } from '../../../lib/jwt';
import { bcryptCost, burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from '../../../lib/password';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { notificationInsert } from '../../notifications/service';
import { loadSystemSettings, systemSetting, typedValue } from '../../system-settings/service';
import { accountColumns, canSignIn, issueAccessToken, toAuthenticatedUser, type Account } from './account';
import { issueRefreshToken, sessionPolicy } from './refresh-tokens';
import { detectSuspiciousLogin } from './suspicious';
import { failedLoginEvent, failureStatements, isThrottled, successStatement, throttleColumns, type ThrottleState } from './throttle';

export const TWO_FACTOR_CHALLENGE_TTL = 300;
/** Enrolling an authenticator at login (features.two_factor_required) takes longer than typing a code. */
export const TWO_FACTOR_SETUP_CHALLENGE_TTL = 900;

/** What a two-factor challenge lets its holder do: verify a code, or enrol first (then verify). */
export type ChallengePurpose = 'verify' | 'setup';

export interface LoginInput {
  email?: string | undefined;
  username?: string | undefined;
  password: string;
}

const invalidCredentials = () =>
  new ApiError('INVALID_CREDENTIALS', 'Invalid credentials, or too many failed attempts: try again later');

/**
 * `users.last_login_at` in whole milliseconds, as text (null before the first sign-in): a two-factor
 * challenge carries the mark it was issued under, and is spent once a sign-in moves it.
 */
export const lastSignInMark = sql`(floor(extract(epoch from ${users.lastLoginAt}) * 1000))::bigint::text`;

/** The user's sign-in history that suspicious-login detection needs (subqueries for a select on `users`). */
export const loginHistoryColumns = {
  lastSignInMark: sql<string | null>`${lastSignInMark}`,
  failedLoginAttempts: users.failedLoginAttempts,
  knownCountries: sql<string[]>`coalesce((select json_agg(distinct s.location_country) from user_sessions s
    where s.user_id = users.id and s.location_country is not null), '[]'::json)`,
  lastLocation: sql<{ latitude: number; longitude: number; at: string } | null>`(select json_build_object(
      'latitude', s.location_latitude, 'longitude', s.location_longitude, 'at', coalesce(s.last_activity_at, s.created_at))
    from user_sessions s where s.user_id = users.id and s.location_latitude is not null
    order by coalesce(s.last_activity_at, s.created_at) desc limit 1)`,
};

/** The history of a row read with `loginHistoryColumns`, as `startSession` takes it (no re-hash). */
export function sessionStartOf(row: { failedLoginAttempts: number; knownCountries: string[]; lastLocation: { latitude: number; longitude: number; at: string } | null }): SessionStart {
  return {
    recentFailures: row.failedLoginAttempts,
    knownCountries: row.knownCountries,
    lastLocation: row.lastLocation
      ? { latitude: Number(row.lastLocation.latitude), longitude: Number(row.lastLocation.longitude), at: new Date(row.lastLocation.at) }
      : null,
    rehash: null,
  };
}

/** The account by email (case-insensitive) or username, with what login decides on (its throttling from `source` included): one query. */
async function findAccount(ctx: ServiceContext, identifier: string, source: string) {
  const [row] = await ctx.db
    .select({ ...accountColumns(ctx.now), password: users.password, ...loginHistoryColumns, ...throttleColumns(source) })
    .from(users)
    .where(and(or(eq(users.email, identifier.toLowerCase()), eq(users.username, identifier)), isNull(users.deletedAt)))
    .limit(1);
  return row;
}

/** One batch: the throttling counters of a real account, and a (merged) security event either way. */
async function recordFailure(ctx: ServiceContext, identifier: string, source: string, account: ({ id: string } & ThrottleState) | undefined) {
  const maxAttempts = await systemSetting(ctx, 'security.max_login_attempts', 5);
  const event = failedLoginEvent(ctx, {
    userId: account?.id ?? null,
    identifier,
    source,
    eventType: 'failed_login',
    description: account ? 'Failed login' : 'Failed login for an unknown account',
  });
  await ctx.db.batch([event, ...(account ? failureStatements(ctx, account.id, source, maxAttempts, account) : [])]);
}

/**
 * Email (or username) and password to a session. Unknown accounts, wrong passwords and throttled
 * attempts answer the same 401 after the same work (a bcrypt comparison and one write); only a
 * caller who proved the password learns that an account is disabled. Rate limits: per (account,
 * source) always, and per account for sources that never signed in to it.
 */
export async function login(ctx: ServiceContext, input: LoginInput) {
  const identifier = (input.email ?? input.username ?? '').trim();
  const source = clientSource(ctx.client.ip);
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `login:${identifier.toLowerCase()}:${source}`, ctx.logger);

  const cost = bcryptCost(ctx.env.BCRYPT_COST);
  const account = await findAccount(ctx, identifier, source);
  if (!account?.sourceKnown) await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `login-account:${identifier.toLowerCase()}`, ctx.logger);
  const passwordOk = account ? await verifyPassword(input.password, account.password) : await burnPasswordCheck(input.password, cost);
  const throttled = account ? isThrottled(account, ctx.now) : false;

  if (!account || !passwordOk || throttled) {
    await recordFailure(ctx, identifier, source, account);
    throw invalidCredentials();
  }
  if (!canSignIn(account)) {
    throw new ApiError('ACCOUNT_DISABLED', 'This account is disabled; contact an administrator');
  }

  // Account-security settings (from the KV-cached list: no database round trip when warm).
  const settings = await loadSystemSettings(ctx);
  const setting = (category: string, key: string, fallback: boolean) => {
    const found = settings.find((s) => s.category === category && s.key === key);
    return found ? ((typedValue(found) ?? fallback) as boolean) : fallback;
  };
  if (!account.emailVerified && !setting('security', 'allow_unverified_login', true)) {
    throw new ApiError('EMAIL_NOT_VERIFIED', 'Verify your email address before signing in');
  }
  const purpose: ChallengePurpose | null = account.twoFactorEnabled ? 'verify' : setting('features', 'two_factor_required', false) ? 'setup' : null;
  if (purpose) {
    const ttl = purpose === 'setup' ? TWO_FACTOR_SETUP_CHALLENGE_TTL : TWO_FACTOR_CHALLENGE_TTL;
    // `last`: the challenge works until a sign-in completes after it; `cred`: until the password or
    // the email address changes (see two-factor-login.ts).
    const { token } = await signToken(ctx.env, 'two_factor_challenge', { sub: account.id, purpose, last: account.lastSignInMark, cred: await credentialsMark(account.password, account.email) }, ttl, ctx.now);
    return {
      twoFactorRequired: true as const,
      twoFactorSetupRequired: purpose === 'setup',
      challengeToken: token,
      challengeExpiresIn: ttl,
      methods: purpose === 'setup' ? ['totp' as const] : ['totp' as const, 'backup_code' as const],
    };
  }
  return startSession(ctx, account, {
    ...sessionStartOf(account),
    rehash: needsRehash(account.password, cost) ? await hashPassword(input.password, cost) : null,
  });
}

/**
 * What a two-factor challenge is bound to besides the last sign-in: the password hash and the
 * email address. A password reset or change, or an email change, spends every challenge issued
 * before it. (A digest: neither value appears in the token.)
 */
export async function credentialsMark(passwordHash: string, email: string): Promise<string> {
  return (await sha256Hex(`challenge-credentials:${passwordHash}:${email.toLowerCase()}`)).slice(0, 32);
}

export interface SessionStart {
  recentFailures: number;
  knownCountries: string[];
  lastLocation: { latitude: number; longitude: number; at: Date } | null;
  /** A new hash when the stored one was made with another cost. */
  rehash: string | null;
}

/**
 * Creates the session and everything that goes with a successful login in one atomic batch:
 * the session row, the user's login bookkeeping, the login activity, the audit row, and a
 * security event plus an in-app notice per suspicious sign. `extra` statements join the same
 * batch (the two-factor step consumes its code there: if one fails, no session exists).
 */
/**
 * Creates a session in one batch: `guards` run first (a failed guard aborts the batch before
 * anything else is written), `extra` statements last.
 */
export async function startSession(ctx: ServiceContext, account: Account, start: SessionStart, extra: BatchItem<'pg'>[] = [], guards: BatchItem<'pg'>[] = []) {
  const policy = sessionPolicy(ctx.env);
  const sessionId = crypto.randomUUID();
  const refresh = await issueRefreshToken(ctx.env, sessionId);
  const { client, now } = ctx;
  const flags = detectSuspiciousLogin(start, { country: client.location.country, latitude: client.location.latitude, longitude: client.location.longitude, at: now });
  const expiresAt = new Date(now.getTime() + Math.min(policy.idleSeconds, policy.absoluteSeconds) * 1000);
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteSeconds * 1000);

  const [first, ...rest]: BatchItem<'pg'>[] = [
    ...guards,
    ctx.db.insert(userSessions).values({
      id: sessionId,
      userId: account.id,
      refreshToken: refresh.hash,
      userAgent: client.userAgent,
      ipAddress: client.ip,
      expiresAt,
      absoluteExpiresAt,
      createdAt: now,
      deviceType: client.device.type,
      deviceOs: client.device.os,
      deviceBrowser: client.device.browser,
      deviceName: client.device.name,
      locationCountry: client.location.country,
      locationRegion: client.location.region,
      locationCity: client.location.city,
      locationTimezone: client.location.timezone,
      locationLatitude: client.location.latitude,
      locationLongitude: client.location.longitude,
      lastActivityAt: now,
      // Signing in is a fresh proof of identity (see the re-authentication window).
      reauthenticatedAt: now,
      activityCount: 1,
      isSuspicious: flags.length > 0,
      securityFlags: flags.map((f) => f.flag),
    }),
    ctx.db
      .update(users)
      .set({
        lastLoginAt: now,
        // The account's failure counter restarts; a lock in force still holds for unknown sources until it expires.
        failedLoginAttempts: 0,
        ...(start.rehash ? { password: start.rehash } : {}),
      })
      .where(eq(users.id, account.id)),
    successStatement(ctx, account.id, clientSource(client.ip)),
    ctx.db.insert(sessionActivity).values({
      sessionId,
      activityType: 'login',
      resource: '/api/auth/login',
      method: 'POST',
      statusCode: 200,
      ipAddress: client.ip,
      userAgent: client.userAgent,
      requestData: flags.length > 0 ? { flags: flags.map((f) => f.flag) } : null,
      createdAt: now,
    }),
    auditInsert(ctx, {
      userId: account.id,
      sessionId,
      entityType: 'user',
      entityId: account.id,
      action: 'login',
      description: 'Signed in',
      metadata: { sessionId, device: client.device.name, country: client.location.country, rehashed: Boolean(start.rehash) },
    }),
    ...flags.flatMap((f) => [
      securityEventInsert(ctx, { userId: account.id, sessionId, eventType: `suspicious_login:${f.flag}`, severity: f.severity, description: f.description, data: f.data }),
      notificationInsert(ctx, {
        userId: account.id,
        type: 'security',
        title: 'Unusual sign-in to your account',
        message: `${f.description}. If this was not you, revoke the session and change your password.`,
        priority: f.severity === 'high' ? 'high' : 'normal',
        data: { sessionId, flag: f.flag },
        actionUrl: '/settings/security',
      }),
    ]),
    ...extra,
  ];
  await ctx.db.batch([first!, ...rest]);

  const access = await issueAccessToken(ctx, account, sessionId);
  return {
    twoFactorRequired: false as const,
    user: { ...toAuthenticatedUser(account), lastLoginAt: now.toISOString() },
    sessionId,
    ...access,
    refreshToken: refresh.token,
    tokenType: 'Bearer' as const,
    refreshExpiresIn: Math.round((expiresAt.getTime() - now.getTime()) / 1000),
    absoluteExpiresAt,
  };
}

