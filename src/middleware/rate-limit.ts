import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { enforceRateLimit } from '../lib/rate-limit';

/** Per-client-IP limit on an endpoint (the RATE_LIMIT_AUTH binding), keyed by `scope`. */
export const rateLimitByIp = (scope: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const ip = c.req.header('cf-connecting-ip') ?? 'unknown';
    await enforceRateLimit(c.env.RATE_LIMIT_AUTH, `${scope}:${ip}`, c.get('logger'));
    await next();
  });
