import { sql, type SQL } from 'drizzle-orm';
import { abortUnless } from '../../../lib/batch-guard';
import { ApiError, type ErrorCode } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { administratorRemains, roleWithin, uncovered, userWithin } from '../../auth/services/principal';

/*
 * Grant containment: nobody grants, assigns or administers more than they hold.
 * - A caller can only assign a role, grant permissions, or give a new user roles that are all
 *   within the caller's own permissions (403 PERMISSION_ESCALATION).
 * - A user (or role) holding a permission the caller lacks is protected: the caller cannot change
 *   their email, username, password, status, roles, sessions, keys or deletion state (403
 *   PROTECTED_TARGET).
 * - The system always keeps one active user holding `*:*` (409 LAST_ADMINISTRATOR).
 * The checks run as statements of the change's own batch, so what they read cannot change between
 * the check and the write.
 */

export const containmentMessages: Partial<Record<ErrorCode, string>> = {
  PERMISSION_ESCALATION: 'You cannot grant permissions you do not hold',
  PROTECTED_TARGET: 'This account (or role) holds permissions you do not hold, so you cannot change it',
  LAST_ADMINISTRATOR: 'This change would leave no active user holding *:*: make another user an administrator first',
};

/** The caller's permissions (a user's effective permissions, or a key's usable scopes). */
function callerPermissions(ctx: ServiceContext): string[] {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Authentication required');
  return ctx.actor.permissions;
}

/** 403 PERMISSION_ESCALATION unless the caller holds every named permission (checked before any I/O). */
export function requireGrantable(ctx: ServiceContext, names: readonly string[]) {
  const missing = uncovered(callerPermissions(ctx), names);
  if (missing.length > 0) {
    throw new ApiError('PERMISSION_ESCALATION', containmentMessages.PERMISSION_ESCALATION!, {
      details: missing.map((name) => ({ field: 'body.permissions', message: `You do not hold ${name}`, code: 'permission_escalation' })),
    });
  }
}

/** Batch statement: aborts with PERMISSION_ESCALATION unless the role's permissions are all the caller's. */
export const roleGrantable = (ctx: ServiceContext, roleId: SQL | string) =>
  abortUnless(ctx.db, roleWithin(roleId, callerPermissions(ctx)), 'PERMISSION_ESCALATION');

/** Batch statement: aborts with PROTECTED_TARGET when the user holds a permission the caller lacks. */
export const userAdministrable = (ctx: ServiceContext, userId: SQL | string) =>
  abortUnless(ctx.db, userWithin(userId, callerPermissions(ctx), ctx.now), 'PROTECTED_TARGET');

/** Batch statement: aborts with PROTECTED_TARGET when the role holds a permission the caller lacks. */
export const roleAdministrable = (ctx: ServiceContext, roleId: SQL | string) =>
  abortUnless(ctx.db, roleWithin(roleId, callerPermissions(ctx)), 'PROTECTED_TARGET');

/** Any constant: the transaction-scoped advisory lock that serialises changes to who administers. */
const ADMINISTRATORS_LOCK = 7_353_840_001;

/**
 * For a batch that could remove the last administrator: `lock` goes first (concurrent such batches
 * wait for each other, so each one's check sees the other's committed change), `check` goes last
 * (it sees this batch's own changes and rolls everything back when no administrator remains).
 */
export function lastAdministratorGuard(ctx: ServiceContext) {
  return {
    lock: ctx.db.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(ADMINISTRATORS_LOCK))}) as locked`),
    check: abortUnless(ctx.db, administratorRemains(ctx.now), 'LAST_ADMINISTRATOR'),
  };
}
