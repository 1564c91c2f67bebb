import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { REFRESH_COOKIE } from '../modules/auth/cookies';

/**
 * Caching of API answers:
 * - an answer carrying a token, a secret, a TOTP setup, backup codes or an API key says
 *   `Cache-Control: no-store` (its handler calls `noStore`): no cache, shared or private, keeps it;
 * - every other answer to a request with credentials (a bearer token, an API key, the refresh
 *   cookie) that did not choose its own policy (ETag reads, avatar images) gets `private, no-cache`:
 *   a browser may keep it but must revalidate, a shared cache never stores it.
 */

/** Marks the answer as never to be stored. */
export function noStore(c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
}

const hasCredentials = (c: Context<AppEnv>) =>
  Boolean(c.get('actor') || c.req.header('authorization') || c.req.header('x-api-key') || c.req.header('cookie')?.includes(`${REFRESH_COOKIE}=`));

export const authenticatedCacheControl = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control') && hasCredentials(c)) c.res.headers.set('Cache-Control', 'private, no-cache');
});
