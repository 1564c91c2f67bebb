import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './db';
import { ApiError, type ErrorCode } from './errors';

/*
 * A precondition inside an atomic batch. neon-http has no interactive transactions, so "404 unless
 * the row exists" cannot be a read followed by a write without a second round trip and a race.
 * Instead the batch starts with a statement that casts `batch-abort:<CODE>` to an integer when the
 * condition is false: the statement fails, Postgres rolls the whole batch back (audit row
 * included), and `guardedBatch` turns the failure into the API error.
 */

const MARK = 'batch-abort:';
const ABORT = /batch-abort:([A-Z_]+)/;

/** A batch statement that aborts the batch with `code` unless `condition` (a boolean SQL expression) holds. */
export function abortUnless(db: Database, condition: SQL, code: ErrorCode) {
  return db.execute(sql`select (case when ${condition} then null else ${`${MARK}${code}`}::text end)::int as guard`);
}

/** The code of the guard that aborted a batch, if one did. */
export function abortedWith(error: unknown): ErrorCode | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const match = ABORT.exec(e.message);
    if (match) return match[1] as ErrorCode;
  }
  return undefined;
}

/** Runs a guarded batch; an aborted guard becomes `new ApiError(code, messages[code])`. */
export async function guardedBatch<T>(run: () => Promise<T>, messages: Partial<Record<ErrorCode, string>>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = abortedWith(error);
    if (code && messages[code]) throw new ApiError(code, messages[code]);
    throw error;
  }
}
