import { OpenAPIHono } from '@hono/zod-openapi';
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../context';
import { validationHook } from './http-errors';
import { PathMemo } from './path-memo';

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
  readonly #matches = new PathMemo<Result<T>>();

  add(method: string, path: string, handler: T) {
    this.#matches.clear();
    this.#router.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    return this.#matches.get(`${method} ${path}`, () => this.#router.match(method, path));
  }
}

/** A module's router: an OpenAPIHono whose validation failures answer in the error envelope. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook, router: new MatchCachingRouter() });
