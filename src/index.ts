import { appFor } from './app';
import type { Env } from './env';

/** The Worker: the app built for its APP_ENV (development-only routes never exist in production). */
export default {
  fetch: (request, env, ctx) => appFor(env.APP_ENV).fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
