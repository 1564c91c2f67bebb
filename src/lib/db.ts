import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import * as schema from '../../drizzle';
import type { Env } from '../env';

export type Database = ReturnType<typeof createDb>;

let configuredEndpoint: string | undefined;
let configuredTimeout: number | undefined;

/**
 * Points the Neon HTTP client at the local endpoint (dev and tests only: the variable does not
 * exist in production) and bounds every round trip with a timeout. `neonConfig` is global to the
 * isolate, and the values are the same for every request of a deployment.
 */
function configureNeon(env: Env) {
  if (env.LOCAL_DB_ENDPOINT && configuredEndpoint !== env.LOCAL_DB_ENDPOINT) {
    neonConfig.fetchEndpoint = env.LOCAL_DB_ENDPOINT;
    configuredEndpoint = env.LOCAL_DB_ENDPOINT;
  }
  const timeout = Number(env.DB_TIMEOUT_MS) || 10_000;
  if (configuredTimeout !== timeout) {
    neonConfig.fetchFunction = (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(timeout) });
    configuredTimeout = timeout;
  }
}

/**
 * A Drizzle client for one request. The request id travels as the connection's
 * `application_name`, so the database (and the local endpoint's counters) can attribute
 * every statement to the API request that sent it.
 */
export function createDb(env: Env, requestId: string) {
  configureNeon(env);
  const url = new URL(env.DATABASE_URL);
  url.searchParams.set('application_name', `aegisx:${requestId}`);
  return drizzle({ client: neon(url.toString()), schema });
}

/** Postgres SQLSTATE of a failed query, looking through Drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  const neonError = findNeonError(error);
  return neonError?.code ?? undefined;
}

/** The unique or foreign-key constraint a failed statement violated. */
export function pgConstraint(error: unknown): string | undefined {
  return findNeonError(error)?.constraint ?? undefined;
}

/** True when the database could not be reached at all (network, timeout, 5xx from the HTTP endpoint). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof NeonDbError) return !e.code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  }
  return false;
}

function findNeonError(error: unknown): NeonDbError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof NeonDbError) return e;
  }
  return undefined;
}
