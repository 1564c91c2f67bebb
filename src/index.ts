import { appFor } from './app';
import type { Env } from './env';
import { handleQueue, runScheduled } from './modules/jobs';

/**
 * The Worker: the app built for its APP_ENV (development-only routes never exist in production),
 * the cron jobs (`scheduled`) and the queue consumers (`queue`) of src/modules/jobs.
 */
export default {
  fetch: (request, env, ctx) => appFor(env.APP_ENV).fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx),
  queue: (batch, env, ctx) => handleQueue(batch, env, ctx),
} satisfies ExportedHandler<Env>;
