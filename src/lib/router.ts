import { OpenAPIHono } from '@hono/zod-openapi';
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../context';
import { validationHook } from './http-errors';

/** Paths remembered per router; past it the memory starts over. */
const MATCH_CACHE_SIZE = 1000;
/** Longer paths are matched every time (they would only fill the memory). */
const MATCH_CACHE_MAX_PATH = 256;

/**
 * Hono's default router (RegExpRouter, else TrieRouter), remembering the match of each method and
 * path. The API's routes fall back to TrieRouter (RegExpRouter refuses a fixed path beside a
 * parameter at the same place, e.g. /api/system-settings/public and /api/system-settings/{id}),
 * which walks its tree on every request: 10-15 % of the Worker's CPU time per request in the
 * benchmark's profile (issue 19). A match depends only on the method and the path, and Hono only
 * reads it (RegExpRouter hands out shared results too), so a remembered one is reused as it is.
 */
class MatchCachingRouter<T> implements Router<T> {
  readonly name = 'MatchCachingRouter';
  readonly #router: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] });
  readonly #matches = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T) {
    this.#matches.clear();
    this.#router.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MATCH_CACHE_MAX_PATH) return this.#router.match(method, path);
    const key = `${method} ${path}`;
    let result = this.#matches.get(key);
    if (!result) {
      result = this.#router.match(method, path);
      if (this.#matches.size >= MATCH_CACHE_SIZE) this.#matches.clear();
      this.#matches.set(key, result);
    }
    return result;
  }
}

/** A module's router: an OpenAPIHono whose validation failures answer in the error envelope. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook, router: new MatchCachingRouter() });
