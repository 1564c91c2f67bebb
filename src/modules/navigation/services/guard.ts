import { sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode } from '../../../lib/db';
import { ApiError } from '../../../lib/errors';

/*
 * A write is one atomic batch, so its preconditions are checked inside it: a "verdict" expression
 * yields null when the batch may go on, or `abort:<CODE>[:<detail>]`. Casting that text to an
 * integer fails the statement with the text in Postgres' message, which rolls the whole batch
 * back (audit row included); `toApiError` turns it into the API error.
 */

const abortCodes = {
  NAVIGATION_ITEM_NOT_FOUND: 'Navigation item not found',
  NAVIGATION_PARENT_NOT_FOUND: 'The parent navigation item does not exist',
  NAVIGATION_KEY_EXISTS: 'A navigation item with this key already exists',
  NAVIGATION_CYCLE: 'An item cannot be moved under itself or one of its descendants',
  UNKNOWN_PERMISSION: 'One or more permissions do not exist',
} as const;

export type AbortCode = keyof typeof abortCodes;

export interface Check {
  code: AbortCode;
  /** A boolean SQL expression: true means the batch must not go on. */
  failsWhen: SQL;
  /** Optional text SQL expression listed in the error's details (comma-separated keys or names). */
  detail?: SQL;
}

/** `case when ... then 'abort:CODE:detail' ... end`: the first failing check wins. */
export function verdict(checks: readonly Check[]): SQL {
  const branches = checks.map(
    (check) => sql`when ${check.failsWhen} then ${`abort:${check.code}:`}::text || coalesce(${check.detail ?? sql`''`}, '')`,
  );
  return sql`(case ${sql.join(branches, sql` `)} end)::int`;
}

/** A statement that aborts its batch when one of the checks fails. */
export const guard = (checks: readonly Check[]) => sql`select ${verdict(checks)} as verdict`;

const ABORT = /"abort:([A-Z_]+):([^"]*)"/;

function abortIn(error: unknown): { code: AbortCode; detail: string } | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const match = ABORT.exec(e.message);
    if (match && match[1]! in abortCodes) return { code: match[1] as AbortCode, detail: match[2]! };
  }
  return undefined;
}

/** The API error for a failed navigation write, or the original error when it is not one of ours. */
export function toApiError(error: unknown): unknown {
  const aborted = abortIn(error);
  if (aborted) {
    const listed = aborted.detail ? aborted.detail.split(',') : [];
    const field = aborted.code === 'UNKNOWN_PERMISSION' ? 'permissions' : 'keys';
    return new ApiError(aborted.code, abortCodes[aborted.code], listed.length ? { details: { [field]: listed } } : {});
  }
  // A concurrent write can still win the race to a key after the check passed.
  if (pgErrorCode(error) === '23505' && pgConstraint(error) === 'navigation_items_key_unique') {
    return new ApiError('NAVIGATION_KEY_EXISTS', abortCodes.NAVIGATION_KEY_EXISTS);
  }
  if (pgErrorCode(error) === '23503' && pgConstraint(error) === 'navigation_items_parent_id_fkey') {
    return new ApiError('NAVIGATION_PARENT_NOT_FOUND', abortCodes.NAVIGATION_PARENT_NOT_FOUND);
  }
  return error;
}

/** Runs a write and maps its aborts and constraint violations to API errors. */
export async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw toApiError(error);
  }
}
