import type { Env } from '../../env';
import { describeError } from '../../lib/logger';
import { jobContext, type JobContext } from './context';
import { recordRun, type JobRun } from './services/runs';

export interface JobOutcome {
  processed: number;
  failures: number;
  details: Record<string, number>;
}

/**
 * Runs one job with its own context (clock, logger, database client named after the run), logs
 * what it did, and records the run for the admin endpoint. A job that throws is recorded as
 * failed and the error is rethrown (queue consumers retry their messages on it).
 */
export async function runJob(
  env: Env,
  waitUntil: (promise: Promise<unknown>) => void,
  job: string,
  now: Date,
  work: (ctx: JobContext) => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const ctx = jobContext(env, job, now, waitUntil);
  const startedAt = new Date();
  let outcome: JobOutcome | undefined;
  let failure: unknown;
  try {
    outcome = await work(ctx);
  } catch (error) {
    failure = error;
  }
  const run: JobRun = {
    runId: ctx.runId,
    job,
    clock: now.toISOString(),
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    processed: outcome?.processed ?? 0,
    failures: outcome ? outcome.failures : 1,
    ok: failure === undefined,
    details: outcome?.details ?? {},
    ...(failure === undefined ? {} : { error: String(failure instanceof Error ? failure.message : failure).slice(0, 300) }),
  };
  if (failure === undefined) ctx.logger.info('job finished', { job, clock: run.clock, durationMs: run.durationMs, processed: run.processed, failures: run.failures, ...run.details });
  else ctx.logger.error('job failed', { job, clock: run.clock, durationMs: run.durationMs, ...describeError(failure) });
  await recordRun(env.CACHE, run).catch((error: unknown) => ctx.logger.warn('could not record the job run', { job, ...describeError(error) }));
  if (failure !== undefined) throw failure;
  return outcome!;
}
