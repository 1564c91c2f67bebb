import type { Context } from 'hono';
import type { Actor, AppEnv } from '../context';
import type { Env } from '../env';
import { clientInfo, type ClientInfo } from './client-info';
import type { Database } from './db';
import type { Logger } from './logger';

export type AuditSource = 'web' | 'api' | 'mobile' | 'system';

/** What services get instead of the HTTP context: no request, no response, just the tools. */
export interface ServiceContext {
  db: Database;
  env: Env;
  /** The request's clock. */
  now: Date;
  logger: Logger;
  requestId: string;
  waitUntil: (promise: Promise<unknown>) => void;
  client: ClientInfo;
  actor: Actor | undefined;
  /** Where the request came from, for audit rows: the actor type or `X-Client-Source`. */
  source: AuditSource;
  /** Tests only: the read-through caches treat KV as failing (see `cacheNamespace` in lib/cache). */
  kvOutage?: boolean;
}

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const actor = c.get('actor');
  const declared = c.req.header('x-client-source');
  const database = c.get('db');
  return {
    get db() {
      return database();
    },
    env: c.env,
    now: c.get('now'),
    logger: c.get('logger'),
    requestId: c.get('requestId'),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    get client() {
      return clientInfo(c.req.raw);
    },
    actor,
    source: actor?.type === 'api_key' ? 'api' : declared === 'mobile' || declared === 'web' ? declared : 'web',
    ...(c.env.APP_ENV === 'test' && c.req.header('x-test-kv-outage') === '1' ? { kvOutage: true } : {}),
  };
}
