import { serve } from './areas';
import type { Env } from './env';

/**
 * The Worker: each request served by the app of its area (src/areas.ts; development-only routes
 * never exist in production), the cron jobs (`scheduled`) and the queue consumers (`queue`) of
 * src/modules/jobs, imported when an isolate first runs them.
 */
export default {
  fetch: serve,
  scheduled: async (controller, env, ctx) => (await import('./modules/jobs')).runScheduled(controller, env, ctx),
  queue: async (batch, env, ctx) => (await import('./modules/jobs')).handleQueue(batch, env, ctx),
} satisfies ExportedHandler<Env>;
