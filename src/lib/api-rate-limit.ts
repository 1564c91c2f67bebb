import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { clientSource } from './client-source';
import { enforceRateLimit } from './rate-limit';

/** The window of the RATE_LIMIT_API binding (wrangler.toml: `period = 60`). */
const WINDOW_SECONDS = 60;
const POLICY = 'api';

/**
 * The global per-client limit on the whole API (the RATE_LIMIT_API binding, per Cloudflare
 * location), counted per client source (an IPv4 address, an IPv6 /64): past
 * `RATE_LIMIT_API_PER_MINUTE` requests in its minute, 429 RATE_LIMIT_EXCEEDED with `Retry-After`.
 * `RATE_LIMIT_API_PER_MINUTE = "0"` switches the limit off. Every answer carries `RateLimit-Policy`
 * (IETF draft-ietf-httpapi-ratelimit-headers); the binding does not tell how many requests remain,
 * so `RateLimit` is sent only with a 429, where the remaining quota is known to be 0 (and `t` is,
 * like Retry-After, the window: an upper bound).
 */
export const apiRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const limit = Number(c.env.RATE_LIMIT_API_PER_MINUTE);
  if (!(limit > 0)) return next();
  c.header('RateLimit-Policy', `"${POLICY}";q=${limit};w=${WINDOW_SECONDS}`);
  try {
    await enforceRateLimit(c.env.RATE_LIMIT_API, `api:${clientSource(c.req.header('cf-connecting-ip'))}`, c.get('logger'));
  } catch (error) {
    c.header('RateLimit', `"${POLICY}";r=0;t=${WINDOW_SECONDS}`);
    throw error;
  }
  await next();
});
