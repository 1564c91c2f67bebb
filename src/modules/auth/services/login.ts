import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { sessionActivity, users, userSessions } from '../../../../drizzle';
import { ApiError } from '../../../lib/errors';
import { signToken } from '../../../lib/jwt';
import { bcryptCost, burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from '../../../lib/password';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert, securityEventInsert } from '../../audit/service';
import { notificationInsert } from '../../notifications/service';
import { systemSetting } from '../../system-settings/service';
import { accountColumns, at, canSignIn, issueAccessToken, toAuthenticatedUser, type Account } from './account';
import { failedLoginUpdate } from './lockout';
import { issueRefreshToken, sessionPolicy } from './refresh-tokens';
import { detectSuspiciousLogin } from './suspicious';

export const TWO_FACTOR_CHALLENGE_TTL = 300;

export interface LoginInput {
  email?: string | undefined;
  username?: string | undefined;
  password: string;
}

const invalidCredentials = () =>
  new ApiError('INVALID_CREDENTIALS', 'Invalid credentials, or too many failed attempts: try again later');

/** The account by email (case-insensitive) or username, with what login decides on: one query. */
async function findAccount(ctx: ServiceContext, identifier: string) {
  const [row] = await ctx.db
    .select({
      ...accountColumns(ctx.now),
      password: users.password,
      failedLoginAttempts: users.failedLoginAttempts,
      lockedUntil: users.lockedUntil,
      knownCountries: sql<string[]>`coalesce((select json_agg(distinct s.location_country) from user_sessions s
        where s.user_id = users.id and s.location_country is not null), '[]'::json)`,
      lastLocation: sql<{ latitude: number; longitude: number; at: string } | null>`(select json_build_object(
          'latitude', s.location_latitude, 'longitude', s.location_longitude, 'at', coalesce(s.last_activity_at, s.created_at))
        from user_sessions s where s.user_id = users.id and s.location_latitude is not null
        order by coalesce(s.last_activity_at, s.created_at) desc limit 1)`,
    })
    .from(users)
    .where(and(or(eq(users.email, identifier.toLowerCase()), eq(users.username, identifier)), isNull(users.deletedAt)))
    .limit(1);
  return row;
}

/** One batch: the failure counter (and lock) of a real account, and a security event either way. */
async function recordFailure(ctx: ServiceContext, identifier: string, account: { id: string; locked: boolean } | undefined) {
  const maxAttempts = await systemSetting(ctx, 'security.max_login_attempts', 5);
  const event = securityEventInsert(ctx, {
    userId: account?.id ?? null,
    sessionId: null,
    eventType: 'failed_login',
    severity: 'low',
    description: account ? 'Failed login' : 'Failed login for an unknown account',
    data: { identifier },
  });
  if (account && !account.locked) {
    await ctx.db.batch([ctx.db.update(users).set(failedLoginUpdate(ctx.now, maxAttempts)).where(eq(users.id, account.id)), event]);
  } else {
    await event;
  }
}

/**
 * Email (or username) and password to a session. Unknown accounts, wrong passwords and locked
 * accounts answer the same 401 after the same work (a bcrypt comparison and one write); only a
 * caller who proved the password learns that an account is disabled.
 */
export async function login(ctx: ServiceContext, input: LoginInput) {
  const identifier = (input.email ?? input.username ?? '').trim();
  await enforceRateLimit(ctx.env.RATE_LIMIT_LOGIN, `login:${identifier.toLowerCase()}`, ctx.logger);

  const cost = bcryptCost(ctx.env.BCRYPT_COST);
  const account = await findAccount(ctx, identifier);
  const passwordOk = account ? await verifyPassword(input.password, account.password) : await burnPasswordCheck(input.password, cost);
  const locked = Boolean(account?.lockedUntil && account.lockedUntil > ctx.now);

  if (!account || !passwordOk || locked) {
    await recordFailure(ctx, identifier, account ? { id: account.id, locked } : undefined);
    throw invalidCredentials();
  }
  if (!canSignIn(account)) {
    throw new ApiError('ACCOUNT_DISABLED', 'This account is disabled; contact an administrator');
  }

  if (account.twoFactorEnabled) {
    const { token } = await signToken(ctx.env, 'two_factor_challenge', { sub: account.id }, TWO_FACTOR_CHALLENGE_TTL, ctx.now);
    return { twoFactorRequired: true as const, challengeToken: token, challengeExpiresIn: TWO_FACTOR_CHALLENGE_TTL, methods: ['totp' as const, 'backup_code' as const] };
  }
  return startSession(ctx, account, {
    recentFailures: account.failedLoginAttempts,
    knownCountries: account.knownCountries,
    lastLocation: account.lastLocation
      ? { latitude: Number(account.lastLocation.latitude), longitude: Number(account.lastLocation.longitude), at: new Date(account.lastLocation.at) }
      : null,
    rehash: needsRehash(account.password, cost) ? await hashPassword(input.password, cost) : null,
  });
}

interface SessionStart {
  recentFailures: number;
  knownCountries: string[];
  lastLocation: { latitude: number; longitude: number; at: Date } | null;
  /** A new hash when the stored one was made with another cost. */
  rehash: string | null;
}

/**
 * Creates the session and everything that goes with a successful login in one atomic batch:
 * the session row, the user's login bookkeeping, the login activity, the audit row, and a
 * security event plus an in-app notice per suspicious sign.
 */
export async function startSession(ctx: ServiceContext, account: Account, start: SessionStart) {
  const policy = sessionPolicy(ctx.env);
  const sessionId = crypto.randomUUID();
  const refresh = await issueRefreshToken();
  const { client, now } = ctx;
  const flags = detectSuspiciousLogin(start, { country: client.location.country, latitude: client.location.latitude, longitude: client.location.longitude, at: now });
  const expiresAt = new Date(now.getTime() + Math.min(policy.idleSeconds, policy.absoluteSeconds) * 1000);
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteSeconds * 1000);

  await ctx.db.batch([
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
      activityCount: 1,
      isSuspicious: flags.length > 0,
      securityFlags: flags.map((f) => f.flag),
    }),
    ctx.db
      .update(users)
      .set({
        lastLoginAt: now,
        failedLoginAttempts: 0,
        lockedUntil: null,
        ...(start.rehash ? { password: start.rehash } : {}),
      })
      .where(eq(users.id, account.id)),
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
  ]);

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

