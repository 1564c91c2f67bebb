import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { createDb, type Database } from '../lib/db';
import { createLogger } from '../lib/logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** In the test environment only, `X-Test-Now` (ISO-8601) sets the request's clock. */
function requestClock(env: AppEnv['Bindings'], header: string | undefined): Date {
  if (env.APP_ENV === 'test' && header) {
    const at = new Date(header);
    if (!Number.isNaN(at.getTime())) return at;
  }
  return new Date();
}

/**
 * Builds the per-request context: a request id (accepted from `X-Request-Id` when well formed,
 * echoed back), the request's clock, a logger that carries the id, and the database client,
 * built on first use (it costs no I/O, but some CPU: URL parsing, the Neon and Drizzle objects).
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('now', requestClock(c.env, c.req.header('x-test-now')));
  c.set('logger', createLogger(requestId));
  c.set('actor', undefined);
  let db: Database | undefined;
  c.set('db', () => (db ??= createDb(c.env, requestId)));
  c.header('X-Request-Id', requestId);
  await next();
});
