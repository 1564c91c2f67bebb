import { sql, type SQLWrapper } from 'drizzle-orm';
import { pgErrorCode } from '../../../lib/db';

/** SQLSTATE of a failed guard (division by zero). */
const GUARD_SQLSTATE = '22012';

/**
 * One statement for a batch: the data-modifying steps (each `name as (update ... returning ...)`,
 * later steps may read earlier ones) followed by a check that aborts the WHOLE batch unless the
 * step named `check` touched at least one row. This is how a batch claims something (a token, a
 * TOTP time step, a backup code) atomically with everything that depends on the claim: neon-http
 * has no interactive transactions, and a second request that lost the race rolls back cleanly.
 */
export function claimOrAbort(steps: Record<string, SQLWrapper>, check: string) {
  // getSQL(): a query builder embedded as such would be wrapped in parentheses, invalid for `as (update ...)`.
  const ctes = Object.entries(steps).map(([name, step]) => sql`${sql.identifier(name)} as (${step.getSQL()})`);
  return sql`with ${sql.join(ctes, sql`, `)} select 1 / (select count(*)::int from ${sql.identifier(check)}) as claimed`;
}

/** True when a batch failed because a `claimOrAbort` guard found nothing to claim. */
export const isClaimLost = (error: unknown) => pgErrorCode(error) === GUARD_SQLSTATE;
