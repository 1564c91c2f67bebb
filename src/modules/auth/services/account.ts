import { sql } from 'drizzle-orm';
import { users, userSessions } from '../../../../drizzle';
import { accessTokenTtl, signToken, type AccessClaims } from '../../../lib/jwt';
import type { ServiceContext } from '../../../lib/service-context';
import { permissionsOf, primaryRole, rolesOf, type RoleRef } from './principal';

/** The user columns every auth answer needs, plus roles and permissions (one query). */
export const accountColumns = (now: Date) => ({
  id: users.id,
  email: users.email,
  username: users.username,
  name: users.name,
  firstName: users.firstName,
  lastName: users.lastName,
  avatarUrl: users.avatarUrl,
  status: users.status,
  isActive: users.isActive,
  emailVerified: users.emailVerified,
  twoFactorEnabled: users.twoFactorEnabled,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  deletedAt: users.deletedAt,
  // Plain `users.id`: Drizzle would leave a column reference unqualified in a select list.
  roles: rolesOf(sql`users.id`, now),
  permissions: permissionsOf(sql`users.id`, now),
});

export interface Account {
  id: string;
  email: string;
  username: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  avatarUrl: string | null;
  status: 'active' | 'inactive' | 'suspended' | 'pending' | null;
  isActive: boolean | null;
  emailVerified: boolean | null;
  twoFactorEnabled: boolean | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  deletedAt: Date | null;
  roles: RoleRef[];
  permissions: string[];
}

/** Accounts that may hold sessions: not soft-deleted, not deactivated or suspended. */
export function canSignIn(account: Pick<Account, 'status' | 'isActive' | 'deletedAt'>): boolean {
  return account.deletedAt === null && account.isActive !== false && account.status !== 'inactive' && account.status !== 'suspended';
}

/** The spec's AuthenticatedUser. */
export function toAuthenticatedUser(account: Account) {
  const role = primaryRole(account.roles);
  return {
    id: account.id,
    email: account.email,
    username: account.username,
    name: account.name,
    firstName: account.firstName,
    lastName: account.lastName,
    avatar: account.avatarUrl,
    role: role ? { ...role, permissions: account.permissions } : null,
    roles: account.roles.map((r) => r.name),
    permissions: account.permissions,
    status: account.status ?? 'pending',
    emailVerified: account.emailVerified ?? false,
    twoFactorEnabled: account.twoFactorEnabled ?? false,
    lastLoginAt: account.lastLoginAt?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
  };
}

/** An access token for a session: carries what authorization needs (roles, permissions). */
export async function issueAccessToken(ctx: ServiceContext, account: Pick<Account, 'id' | 'roles' | 'permissions'>, sessionId: string) {
  const ttl = accessTokenTtl(ctx.env);
  const claims: AccessClaims = { sub: account.id, sid: sessionId, roles: account.roles.map((r) => r.name), perms: account.permissions };
  const { token } = await signToken(ctx.env, 'access', { ...claims }, ttl, ctx.now);
  return { accessToken: token, expiresIn: ttl };
}

export const sessionColumns = {
  id: userSessions.id,
  userAgent: userSessions.userAgent,
  ipAddress: userSessions.ipAddress,
  deviceType: userSessions.deviceType,
  deviceOs: userSessions.deviceOs,
  deviceBrowser: userSessions.deviceBrowser,
  deviceName: userSessions.deviceName,
  locationCountry: userSessions.locationCountry,
  locationRegion: userSessions.locationRegion,
  locationCity: userSessions.locationCity,
  locationTimezone: userSessions.locationTimezone,
  isSuspicious: userSessions.isSuspicious,
  securityFlags: userSessions.securityFlags,
  createdAt: userSessions.createdAt,
  lastActivityAt: userSessions.lastActivityAt,
  expiresAt: userSessions.expiresAt,
};

export type SessionRow = { [K in keyof typeof sessionColumns]: (typeof sessionColumns)[K]['_']['data'] | null } & {
  id: string;
  createdAt: Date;
  expiresAt: Date;
};

const deviceTypes = ['Desktop', 'Mobile', 'Tablet', 'Unknown'] as const;

/** The spec's UserSession. */
export function toUserSession(row: SessionRow, currentSessionId: string | null) {
  const place = [row.locationCity, row.locationCountry].filter(Boolean).join(', ');
  return {
    id: row.id,
    current: row.id === currentSessionId,
    deviceInfo: {
      userAgent: row.userAgent,
      ip: row.ipAddress,
      location: place || null,
      device: deviceTypes.find((d) => d === row.deviceType) ?? 'Unknown',
      os: row.deviceOs,
      browser: row.deviceBrowser,
      name: row.deviceName,
    },
    location: { country: row.locationCountry, region: row.locationRegion, city: row.locationCity, timezone: row.locationTimezone },
    suspicious: row.isSuspicious ?? false,
    securityFlags: row.securityFlags ?? [],
    createdAt: row.createdAt.toISOString(),
    lastActiveAt: row.lastActivityAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** `sql` for a timestamp parameter (the request clock) that Postgres compares as timestamptz. */
export const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Current roles and permissions of a user who may still sign in (one query); null otherwise. */
export async function loadPrincipal(ctx: ServiceContext, userId: string): Promise<{ roles: string[]; permissions: string[] } | null> {
  const [row] = await ctx.db
    .select({ status: users.status, isActive: users.isActive, deletedAt: users.deletedAt, roles: rolesOf(sql`users.id`, ctx.now), permissions: permissionsOf(sql`users.id`, ctx.now) })
    .from(users)
    .where(sql`${users.id} = ${userId}`);
  if (!row || !canSignIn(row)) return null;
  return { roles: row.roles.map((r) => r.name), permissions: row.permissions };
}
