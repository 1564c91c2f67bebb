import type { Env } from '../../../env';
import { CRON_JOBS, QUEUE_JOBS } from '../jobs';
import { recentRuns } from './runs';

/** Every job with its newest runs (one KV list per job, concurrently), for administrators. */
export async function jobsStatus(env: Env, limit: number) {
  const jobs = [
    ...CRON_JOBS.map((job) => ({ name: job.name, kind: 'cron' as const, description: job.description, everyMinutes: job.everyMinutes(env) })),
    ...QUEUE_JOBS.map((job) => ({ name: job.name, kind: 'queue' as const, description: job.description, everyMinutes: null })),
  ];
  return {
    jobs: await Promise.all(
      jobs.map(async (job) => {
        const runs = (await recentRuns(env.CACHE, job.name, limit)).map(({ job: _job, ...run }) => run);
        return {
          ...job,
          lastRun: runs[0] ?? null,
          lastSuccessAt: runs.find((r) => r.ok)?.clock ?? null,
          processed: runs.reduce((sum, r) => sum + r.processed, 0),
          failures: runs.reduce((sum, r) => sum + r.failures, 0),
          runs,
        };
      }),
    ),
  };
}
