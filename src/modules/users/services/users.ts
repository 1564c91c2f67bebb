import { and, asc, desc, eq, ilike, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { emailVerificationTokens, notificationPreferences, passwordResetTokens, userPreferences, userRoles, users, userSessions } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { pgConstraint, pgErrorCode } from '../../../lib/db';
import { ApiError } from '../../../lib/errors';
import { bcryptCost, hashPassword } from '../../../lib/password';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { sessionColumns, toUserSession } from '../../auth/services/account';
import { permissionsOf, rolesOf } from '../../auth/services/principal';
import { markSessionsRevoked } from '../../auth/services/revocation';
import { deleteAllAvatarObjects } from '../../avatars/services/avatars';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../notifications/defaults';
import { actionLink, emailChangedByAdministratorMessage, FRONTEND_PATHS, queueEmail } from '../../../lib/mailer';
import { containmentMessages, lastAdministratorGuard, roleGrantable, userAdministrable } from '../../rbac/services/containment';
import { bumpPermissionEpoch } from '../../rbac/services/epochs';
import { defaultThemeName } from '../../preferences/service';

type Status = 'active' | 'inactive' | 'suspended' | 'pending';

const userColumns = (now: Date) => ({
  id: users.id,
  email: users.email,
  username: users.username,
  name: users.name,
  firstName: users.firstName,
  lastName: users.lastName,
  avatarUrl: users.avatarUrl,
  status: users.status,
  emailVerified: users.emailVerified,
  twoFactorEnabled: users.twoFactorEnabled,
  bio: users.bio,
  timezone: users.timezone,
  language: users.language,
  dateOfBirth: users.dateOfBirth,
  phone: users.phone,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  deletedAt: users.deletedAt,
  roles: rolesOf(sql`users.id`, now),
  permissions: permissionsOf(sql`users.id`, now),
});

type UserRow = Awaited<ReturnType<typeof selectUsers>>[number];
const selectUsers = (ctx: ServiceContext, where: SQL | undefined) => ctx.db.select(userColumns(ctx.now)).from(users).where(where);

/** A user as administrators see it (never the password hash or two-factor secrets). */
export function toAdminUser(row: Omit<UserRow, never>) {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    name: row.name,
    firstName: row.firstName,
    lastName: row.lastName,
    avatar: row.avatarUrl,
    status: (row.status ?? 'pending') as Status,
    emailVerified: row.emailVerified ?? false,
    twoFactorEnabled: row.twoFactorEnabled ?? false,
    bio: row.bio,
    timezone: row.timezone,
    language: row.language,
    dateOfBirth: row.dateOfBirth,
    phone: row.phone,
    roles: row.roles.map((r) => r.name),
    permissions: row.permissions,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export interface ListUsersQuery {
  page: number;
  limit: number;
  search?: string | undefined;
  status?: Status | undefined;
  role?: string | undefined;
  emailVerified?: boolean | undefined;
  deleted?: 'exclude' | 'include' | 'only' | undefined;
  sortBy: 'createdAt' | 'email' | 'username' | 'lastLoginAt' | 'name';
  sortOrder: 'asc' | 'desc';
}

const sortColumns = { createdAt: users.createdAt, email: users.email, username: users.username, lastLoginAt: users.lastLoginAt, name: users.name };

/** Page of users with the total, in one query (`count(*) over ()`). */
export async function listUsers(ctx: ServiceContext, q: ListUsersQuery) {
  const pattern = q.search ? `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined;
  const where = and(
    pattern ? or(ilike(users.email, pattern), ilike(users.username, pattern), ilike(users.name, pattern), ilike(users.firstName, pattern), ilike(users.lastName, pattern)) : undefined,
    q.status ? eq(users.status, q.status) : undefined,
    q.emailVerified !== undefined ? (q.emailVerified ? eq(users.emailVerified, true) : sql`${users.emailVerified} is not true`) : undefined,
    q.role ? sql`exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${users.id} and r.name = ${q.role})` : undefined,
    q.deleted === 'only' ? isNotNull(users.deletedAt) : q.deleted === 'include' ? undefined : isNull(users.deletedAt),
  );
  const order = q.sortOrder === 'asc' ? asc(sortColumns[q.sortBy]) : desc(sortColumns[q.sortBy]);
  const rows = await ctx.db
    .select({ ...userColumns(ctx.now), total: sql<number>`count(*) over ()` })
    .from(users)
    .where(where)
    .orderBy(order, asc(users.id))
    .limit(q.limit)
    .offset((q.page - 1) * q.limit);
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { items: rows.map(toAdminUser), pagination: { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) } };
}

export async function getUser(ctx: ServiceContext, id: string) {
  const [row] = await selectUsers(ctx, eq(users.id, id));
  if (!row) throw new ApiError('NOT_FOUND', 'User not found');
  return toAdminUser(row);
}

const notFound = { ...containmentMessages, NOT_FOUND: 'User not found' };

function conflict(error: unknown): never {
  if (error instanceof ApiError) throw error;
  if (pgErrorCode(error) === '23505') {
    const constraint = pgConstraint(error) ?? '';
    if (constraint.includes('email')) throw new ApiError('EMAIL_ALREADY_EXISTS', 'An account with this email already exists');
    if (constraint.includes('username')) throw new ApiError('USERNAME_ALREADY_EXISTS', 'This username is taken');
  }
  if (pgErrorCode(error) === '23502') throw new ApiError('VALIDATION_ERROR', 'Unknown role', { details: [{ field: 'body.roles', message: 'Every role must exist', code: 'unknown_role' }] });
  throw error;
}

export interface CreateUserInput {
  email: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  status: Status;
  emailVerified: boolean;
  roles: string[];
}

/** An administrator creates an account: user, roles, preferences and audit row in one batch. */
export async function createUser(ctx: ServiceContext, input: CreateUserInput) {
  const id = crypto.randomUUID();
  const email = input.email.trim().toLowerCase();
  const password = await hashPassword(input.password, bcryptCost(ctx.env.BCRYPT_COST));
  const { db, now } = ctx;
  const roleNames = [...new Set(input.roles)];
  try {
    await guardedBatch(() => db.batch([
      db.insert(users).values({
        id, email, username: input.username, password, firstName: input.firstName, lastName: input.lastName,
        name: `${input.firstName} ${input.lastName}`, status: input.status, isActive: input.status !== 'inactive',
        emailVerified: input.emailVerified, emailVerifiedAt: input.emailVerified ? now : null, createdAt: now, updatedAt: now,
      }),
      // Every role given must be within the caller's own permissions (an unknown role fails its insert).
      ...roleNames.map((role) => roleGrantable(ctx, sql`(select r.id from roles r where r.name = ${role})`)),
      ...roleNames.map((role) =>
        db.insert(userRoles).values({ userId: id, roleId: sql`(select r.id from roles r where r.name = ${role})`, assignedBy: ctx.actor?.userId ?? null, assignedAt: now, createdAt: now, updatedAt: now }),
      ),
      db.insert(userPreferences).values({ userId: id, theme: defaultThemeName, createdAt: now, updatedAt: now }),
      db.insert(notificationPreferences).values(DEFAULT_NOTIFICATION_PREFERENCES.map((p) => ({ ...p, userId: id, createdAt: now, updatedAt: now }))),
      auditInsert(ctx, { entityType: 'user', entityId: id, action: 'create', newValues: { ...input, email, password: undefined } }),
    ]), notFound);
  } catch (error) {
    conflict(error);
  }
  return getUser(ctx, id);
}

export type UserUpdate = Partial<{
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  name: string;
  bio: string | null;
  timezone: string;
  language: string;
  phone: string | null;
  dateOfBirth: string | null;
  emailVerified: boolean;
}>;

/**
 * Updates a user's fields; the audit row carries the old values, read inside the same batch. The
 * caller must hold every permission the user holds. A new email address is unverified (unless the
 * body says otherwise), revokes the user's sessions, spends their outstanding verification and
 * reset links, and is announced to the old address.
 */
export async function updateUser(ctx: ServiceContext, id: string, input: UserUpdate) {
  const email = input.email?.trim().toLowerCase();
  const changes = { ...input, ...(email ? { email } : {}) };
  const fields = Object.keys(changes);
  // A new address (compared with the stored one, case-insensitively, by each statement) is unverified unless the body says otherwise.
  const changed = sql`exists (select 1 from users u where u.id = ${id} and lower(u.email) <> ${email ?? null})`;
  const verification =
    input.emailVerified !== undefined
      ? { emailVerified: input.emailVerified, emailVerifiedAt: input.emailVerified ? ctx.now : null }
      : email
        ? { emailVerified: sql`case when ${changed} then false else ${users.emailVerified} end`, emailVerifiedAt: sql`case when ${changed} then null else ${users.emailVerifiedAt} end` }
        : {};
  const snake = (k: string) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
  const old = sql`(select jsonb_build_object(${sql.join(fields.map((f) => sql`${f}::text, u.${sql.identifier(snake(f))}`), sql`, `)}) from users u where u.id = ${id})`;
  const guards = [abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${id})`, 'NOT_FOUND'), userAdministrable(ctx, id)] as const;
  const audit = auditInsert(ctx, { entityType: 'user', entityId: id, action: 'update', oldValues: fields.length ? old : {}, newValues: changes });
  const update = ctx.db
    .update(users)
    .set({ ...changes, ...verification, updatedAt: ctx.now })
    .where(eq(users.id, id));
  try {
    if (!email) {
      await guardedBatch(() => ctx.db.batch([...guards, audit, update]), notFound);
      return getUser(ctx, id);
    }
    // A new address ends the sessions and the links of the old one before the update writes it.
    const [, , [before], , revoked] = await guardedBatch(() => ctx.db.batch([
      ...guards,
      ctx.db.select({ email: users.email, name: users.firstName, changed: sql<boolean>`${changed}` }).from(users).where(eq(users.id, id)),
      audit,
      ctx.db.update(userSessions).set({ revokedAt: ctx.now, revokedReason: 'email_changed_by_admin' })
        .where(and(eq(userSessions.userId, id), isNull(userSessions.revokedAt), changed))
        .returning({ id: userSessions.id }),
      ctx.db.delete(emailVerificationTokens).where(and(eq(emailVerificationTokens.userId, id), changed)),
      ctx.db.delete(passwordResetTokens).where(and(eq(passwordResetTokens.userId, id), changed)),
      update,
    ]), notFound);
    if (before?.changed) {
      await markSessionsRevoked(ctx, revoked.map((session) => session.id));
      queueEmail(ctx, emailChangedByAdministratorMessage({ to: before.email, name: before.name, newEmail: email, securityUrl: actionLink(ctx.env.FRONTEND_URL, FRONTEND_PATHS.security) }));
    }
  } catch (error) {
    conflict(error);
  }
  return getUser(ctx, id);
}

function refuseSelf(ctx: ServiceContext, id: string, what: string) {
  if (ctx.actor?.userId === id) throw new ApiError('FORBIDDEN', `You cannot ${what} your own account`);
}

/** Revokes every live session of the users in `where` (as a batch statement) returning their ids. */
const revokeSessionsOf = (ctx: ServiceContext, userId: string, reason: string, only?: SQL) =>
  ctx.db
    .update(userSessions)
    .set({ revokedAt: ctx.now, revokedReason: reason })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), only))
    .returning({ id: userSessions.id });

/** Changes a user's status; suspending or deactivating revokes every session at once. */
export async function changeStatus(ctx: ServiceContext, id: string, status: Status, reason?: string) {
  refuseSelf(ctx, id, 'change the status of');
  const blocks = status === 'suspended' || status === 'inactive';
  const administrators = lastAdministratorGuard(ctx);
  const [, , , , , revoked] = await guardedBatch(() => ctx.db.batch([
    administrators.lock,
    abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${id} and u.deleted_at is null)`, 'NOT_FOUND'),
    userAdministrable(ctx, id),
    auditInsert(ctx, { entityType: 'user', entityId: id, action: 'update', description: `Status set to ${status}`, oldValues: sql`(select jsonb_build_object('status', u.status) from users u where u.id = ${id})`, newValues: { status }, metadata: reason ? { reason } : undefined }),
    ctx.db.update(users).set({ status, isActive: status !== 'inactive', updatedAt: ctx.now }).where(and(eq(users.id, id), isNull(users.deletedAt))),
    revokeSessionsOf(ctx, id, `account_${status}`, blocks ? undefined : sql`false`),
    administrators.check,
  ]), notFound);
  await markSessionsRevoked(ctx, revoked.map((s) => s.id));
  await bumpPermissionEpoch(ctx, { userIds: [id] });
  return getUser(ctx, id);
}

export async function listUserSessions(ctx: ServiceContext, id: string) {
  const rows = await ctx.db
    .select({ ...sessionColumns, owner: sql<boolean>`true` })
    .from(userSessions)
    .where(and(eq(userSessions.userId, id), isNull(userSessions.revokedAt), sql`${userSessions.expiresAt} > ${ctx.now.toISOString()}::timestamptz`))
    .orderBy(desc(userSessions.createdAt));
  return rows.map((r) => toUserSession(r, ctx.actor?.sessionId ?? null));
}

/** An administrator revokes one session of a user, or all of them. */
export async function revokeUserSessions(ctx: ServiceContext, userId: string, sessionId?: string) {
  const [, , , revoked] = await guardedBatch(() => ctx.db.batch([
    abortUnless(
      ctx.db,
      sessionId
        ? sql`exists (select 1 from user_sessions s where s.id = ${sessionId} and s.user_id = ${userId} and s.revoked_at is null)`
        : sql`exists (select 1 from users u where u.id = ${userId})`,
      sessionId ? 'SESSION_NOT_FOUND' : 'NOT_FOUND',
    ),
    userAdministrable(ctx, userId),
    auditInsert(ctx, { entityType: 'user_session', entityId: sessionId ?? userId, action: 'delete', description: sessionId ? 'Session revoked by an administrator' : 'Every session revoked by an administrator', metadata: { userId } }),
    revokeSessionsOf(ctx, userId, 'revoked_by_admin', sessionId ? eq(userSessions.id, sessionId) : undefined),
  ]), { SESSION_NOT_FOUND: 'Session not found', ...notFound });
  await markSessionsRevoked(ctx, revoked.map((s) => s.id));
  return { revokedSessions: revoked.length };
}

/**
 * Soft delete: `deleted_at` set, sessions revoked, hidden from lists and login. The email and
 * username stay reserved (unique) so that the account can be restored; a hard delete frees them.
 */
export async function softDeleteUser(ctx: ServiceContext, id: string) {
  refuseSelf(ctx, id, 'delete');
  const administrators = lastAdministratorGuard(ctx);
  const [, , , , , revoked] = await guardedBatch(() => ctx.db.batch([
    administrators.lock,
    abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${id} and u.deleted_at is null)`, 'NOT_FOUND'),
    userAdministrable(ctx, id),
    auditInsert(ctx, { entityType: 'user', entityId: id, action: 'delete', description: 'Soft-deleted' }),
    ctx.db.update(users).set({ deletedAt: ctx.now, updatedAt: ctx.now }).where(and(eq(users.id, id), isNull(users.deletedAt))),
    revokeSessionsOf(ctx, id, 'account_deleted'),
    administrators.check,
  ]), notFound);
  await markSessionsRevoked(ctx, revoked.map((s) => s.id));
  // The user's cached API keys are re-checked (and refused) on their next use.
  await bumpPermissionEpoch(ctx, { userIds: [id] });
}

export async function restoreUser(ctx: ServiceContext, id: string) {
  await guardedBatch(() => ctx.db.batch([
    abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${id} and u.deleted_at is not null)`, 'NOT_FOUND'),
    userAdministrable(ctx, id),
    auditInsert(ctx, { entityType: 'user', entityId: id, action: 'update', description: 'Restored', newValues: { deletedAt: null } }),
    ctx.db.update(users).set({ deletedAt: null, updatedAt: ctx.now }).where(and(eq(users.id, id), isNotNull(users.deletedAt))),
  ]), { ...notFound, NOT_FOUND: 'No deleted user with this id' });
  return getUser(ctx, id);
}

/** Hard delete: the row, everything that cascades from it, then the user's avatar images in R2; audit rows keep the id. */
export async function purgeUser(ctx: ServiceContext, id: string) {
  refuseSelf(ctx, id, 'delete');
  const sessions = ctx.db.select({ id: userSessions.id }).from(userSessions).where(and(eq(userSessions.userId, id), isNull(userSessions.revokedAt)));
  const administrators = lastAdministratorGuard(ctx);
  const [, , , live] = await guardedBatch(() => ctx.db.batch([
    administrators.lock,
    abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${id})`, 'NOT_FOUND'),
    userAdministrable(ctx, id),
    sessions,
    auditInsert(ctx, { entityType: 'user', entityId: id, action: 'delete', description: 'Permanently deleted', oldValues: sql`(select jsonb_build_object('email', u.email, 'username', u.username) from users u where u.id = ${id})` }),
    ctx.db.delete(users).where(and(eq(users.id, id), ne(users.id, ctx.actor?.userId ?? id))),
    administrators.check,
  ]), notFound);
  await markSessionsRevoked(ctx, live.map((s) => s.id));
  await bumpPermissionEpoch(ctx, { userIds: [id] });
  await deleteAllAvatarObjects(ctx, id);
}
