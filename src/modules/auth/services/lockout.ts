import { sql } from 'drizzle-orm';
import { users } from '../../../../drizzle';

/** Failures older than this no longer count towards a lockout. */
export const FAILURE_WINDOW_HOURS = 24;
/** The longest lock: an attacker can delay a user, never lock them out for good. */
export const MAX_LOCK_MINUTES = 60;

/**
 * The `users` columns a failed login sets, as one atomic update: the counter restarts when the
 * last failure is older than the window; from `maxAttempts` failures on, the account is locked
 * for 1, 2, 4, 8 ... minutes (capped at MAX_LOCK_MINUTES). Locks expire by themselves.
 */
export function failedLoginUpdate(now: Date, maxAttempts: number) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const attempts = sql`(case when ${users.lastFailedLoginAt} is null or ${users.lastFailedLoginAt} < ${at} - make_interval(hours => ${FAILURE_WINDOW_HOURS})
    then 1 else ${users.failedLoginAttempts} + 1 end)`;
  return {
    failedLoginAttempts: attempts,
    lastFailedLoginAt: now,
    lockedUntil: sql`case when ${attempts} >= ${maxAttempts}
      then ${at} + make_interval(mins => least(power(2, ${attempts} - ${maxAttempts}), ${MAX_LOCK_MINUTES})::int)
      else null end`,
  };
}
