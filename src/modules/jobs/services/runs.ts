/*
 * Job runs, kept in Workers KV (binding CACHE) rather than in the database: a record per run under
 * `jobs:run:<job>:<inverted time>:<runId>` whose metadata holds the summary (so listing a job's
 * newest runs is one KV list, no reads), kept 7 days; and `jobs:ok:<job>`, the clock of the job's
 * last successful run, which decides whether an interval job is due. KV is eventually consistent:
 * another location may see a run up to a minute late, which at worst runs a job once more.
 */

export const RUN_PREFIX = 'jobs:run:';
const OK_PREFIX = 'jobs:ok:';
const RUN_TTL_SECONDS = 7 * 24 * 3600;
const MAX_TIME = 9_999_999_999_999;

export interface JobRun {
  runId: string;
  job: string;
  /** The run's clock (the cron's scheduled time; the wall clock for queue batches). */
  clock: string;
  startedAt: string;
  durationMs: number;
  /** Rows (or messages) the run handled. */
  processed: number;
  /** Rows or messages that failed (and the run itself, when it threw). */
  failures: number;
  ok: boolean;
  /** What the run did, per kind (rows removed per table, emails sent, retried...). */
  details: Record<string, number>;
  error?: string;
}

const runKey = (run: JobRun) => `${RUN_PREFIX}${run.job}:${String(MAX_TIME - Date.parse(run.startedAt)).padStart(13, '0')}:${run.runId}`;

/** Stores a run; never throws (a KV failure is logged by the caller's logger, the job's work stands). */
export async function recordRun(kv: KVNamespace, run: JobRun): Promise<void> {
  const writes = [kv.put(runKey(run), '', { expirationTtl: RUN_TTL_SECONDS, metadata: run })];
  if (run.ok) writes.push(kv.put(`${OK_PREFIX}${run.job}`, run.clock));
  await Promise.all(writes);
}

/** The clock of the job's last successful run, or null. */
export async function lastSuccessClock(kv: KVNamespace, job: string): Promise<Date | null> {
  const value = await kv.get(`${OK_PREFIX}${job}`);
  return value ? new Date(value) : null;
}

/** A job's newest runs, newest first (one KV list). */
export async function recentRuns(kv: KVNamespace, job: string, limit: number): Promise<JobRun[]> {
  const page = await kv.list<JobRun>({ prefix: `${RUN_PREFIX}${job}:`, limit });
  return page.keys.flatMap((key) => (key.metadata ? [key.metadata] : []));
}
