import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { protectedAccess } from '../../../middleware/access';
import { JobsSchema, ListJobsQuerySchema } from '../schemas';
import { jobsStatus } from '../services/jobs-status';

export const listJobsRoute = createRoute({
  method: 'get',
  path: '/api/admin/jobs',
  operationId: 'listJobs',
  tags: ['System'],
  summary: 'Background jobs: last run, rows processed and failures',
  description:
    'The cron jobs (notification emails, digests, retention clean-up) and queue consumers (email delivery, session activity, dead letters), each with its newest runs: clock, duration, rows or messages processed, failures and counts by kind. Runs are kept 7 days (Workers KV: another location may show a run up to a minute late).',
  ...protectedAccess('system:monitor'),
  request: { query: ListJobsQuerySchema },
  responses: {
    200: jsonContent(successSchema(JobsSchema), 'Jobs and their newest runs'),
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const listJobsHandler: RouteHandler<typeof listJobsRoute, AppEnv> = async (c) => ok(c, await jobsStatus(c.env, c.req.valid('query').limit));
