import { z } from '@hono/zod-openapi';

export const ListJobsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: 'Runs listed per job (newest first)', example: 10 }),
});

export const JobRunSchema = z
  .object({
    runId: z.uuid(),
    clock: z.iso.datetime({ offset: true }).openapi({ description: 'The run’s clock: the cron’s scheduled time, or when a queue batch arrived' }),
    startedAt: z.iso.datetime({ offset: true }),
    durationMs: z.number().int(),
    processed: z.number().int().openapi({ description: 'Rows or messages handled' }),
    failures: z.number().int().openapi({ description: 'Rows or messages that failed (1 when the run itself failed)' }),
    ok: z.boolean(),
    details: z.record(z.string(), z.number()).openapi({ description: 'Counts by kind, e.g. rows removed per table, emails sent, retried, failed' }),
    error: z.string().optional(),
  })
  .openapi('JobRun');

export const JobSchema = z
  .object({
    name: z.string().openapi({ example: 'retention' }),
    kind: z.enum(['cron', 'queue']),
    description: z.string(),
    everyMinutes: z.number().int().nullable().openapi({ description: 'Cron jobs: minutes between runs; null for queue consumers' }),
    lastRun: JobRunSchema.nullable(),
    lastSuccessAt: z.iso.datetime({ offset: true }).nullable().openapi({ description: 'Clock of the newest successful run among those listed' }),
    processed: z.number().int().openapi({ description: 'Rows or messages handled by the listed runs' }),
    failures: z.number().int().openapi({ description: 'Failures in the listed runs' }),
    runs: z.array(JobRunSchema),
  })
  .openapi('Job');

export const JobsSchema = z.object({ jobs: z.array(JobSchema) }).openapi('Jobs');
