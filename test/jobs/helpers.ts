import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../../src/index';
import type { Env } from '../../src/env';
import type { JobRun } from '../../src/modules/jobs/services/runs';
import { dbStats, env, sql } from '../harness';

/*
 * The Worker's `scheduled` and `queue` handlers (src/index.ts), called with vitest-pool-workers'
 * controller, batch and context helpers. A cron run's clock is the controller's `scheduledTime`,
 * as the request clock of the API tests is `X-Test-Now`.
 */

type EnvOverrides = Partial<Record<keyof Env, unknown>>;
const envWith = (overrides: EnvOverrides = {}) => ({ ...env, ...overrides }) as Env;

/** One cron trigger at `at` (every due job runs); resolves when its work is done. */
export async function runCron(at: Date, overrides: EnvOverrides = {}) {
  const controller = createScheduledController({ scheduledTime: at, cron: '* * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled!(controller, envWith(overrides), ctx);
  await waitOnExecutionContext(ctx);
}

export interface QueuedMessage<T = unknown> {
  body: T;
  attempts?: number;
}

/** One batch of messages through the queue handler; returns what it acked and retried. */
export async function runQueue<T>(queue: string, messages: QueuedMessage<T>[], overrides: EnvOverrides = {}) {
  const batch = createMessageBatch<T>(
    queue,
    messages.map((m, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  // getQueueResult reports which messages were retried, not their delays: keep those too.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue!(batch as MessageBatch<unknown>, envWith(overrides), ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryDelays: result.retryMessages.map((m: { msgId: string }) => delays.get(m.msgId)) };
}

/** A queue binding that keeps what is sent to it (instead of Miniflare's queue, which delivers to the consumer). */
export function capturingQueue<T = any>() {
  const sent: T[] = [];
  const queue = {
    send: async (body: T) => void sent.push(body),
    sendBatch: async (messages: Iterable<{ body: T }>) => void sent.push(...[...messages].map((m) => m.body)),
  };
  return { sent, queue: queue as unknown as Queue<T> };
}

/** The recorded runs of a job, newest first. */
export async function runsOf(job: string): Promise<JobRun[]> {
  const page = await env.CACHE.list<JobRun>({ prefix: `jobs:run:${job}:` });
  return page.keys.map((k) => k.metadata!);
}

/** The runs of a job recorded for a clock. */
export async function recordedRuns(job: string, clock: Date): Promise<JobRun[]> {
  const runs = (await runsOf(job)).filter((r) => r.clock === clock.toISOString());
  expect(runs.length, `a ${job} run at ${clock.toISOString()}`).toBeGreaterThan(0);
  return runs;
}

/** The runs of a job that `work` recorded (those that were not there before it). */
export async function runsDuring<T>(job: string, work: () => Promise<T>): Promise<{ value: T; runs: JobRun[] }> {
  const before = new Set((await runsOf(job)).map((r) => r.runId));
  const value = await work();
  return { value, runs: (await runsOf(job)).filter((r) => !before.has(r.runId)) };
}

/** Database round trips and statements of a job run (the local endpoint's counters, by the run's connection name). */
export const runStats = (run: JobRun) => dbStats(`job:${run.job}:${run.runId}`);

/** A notification's email columns. */
export async function emailState(id: string) {
  const [row] = await sql<{ email_status: string; email_scheduled_at: string | null; email_sent_at: string | null }>(
    'select email_status, email_scheduled_at, email_sent_at from notifications where id = $1',
    [id],
  );
  return row!;
}

export const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);
