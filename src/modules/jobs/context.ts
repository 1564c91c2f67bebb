import type { Env } from '../../env';
import type { ClientInfo } from '../../lib/client-info';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import type { ServiceContext } from '../../lib/service-context';

/** Background work has no client: audit rows it writes carry no address or user agent. */
const NO_CLIENT: ClientInfo = {
  ip: null,
  userAgent: null,
  device: { type: 'Unknown', os: null, browser: null, name: null },
  location: { country: null, region: null, city: null, timezone: null, latitude: null, longitude: null },
};

export interface JobContext extends ServiceContext {
  /** This run's id: its database connection is named `job:<job>:<runId>`, as a request's is named by its request id. */
  runId: string;
  job: string;
}

/**
 * What services get in a cron or queue run instead of a request: the run's clock, a logger and
 * a database client named after the run (so the local endpoint counts its round trips), no actor,
 * and `system` as the audit source.
 */
export function jobContext(env: Env, job: string, now: Date, waitUntil: (promise: Promise<unknown>) => void): JobContext {
  const runId = crypto.randomUUID();
  const requestId = `job:${job}:${runId}`;
  return {
    db: createDb(env, requestId),
    env,
    now,
    logger: createLogger(requestId),
    requestId,
    waitUntil,
    client: NO_CLIENT,
    actor: undefined,
    source: 'system',
    runId,
    job,
  };
}
