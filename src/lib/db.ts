import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import type { Env } from '../env';
import { localDbEndpoint } from './config';

export type Database = ReturnType<typeof createDb>;

const DEFAULT_TIMEOUT_MS = 10_000;

/** What one client's round trips carry to the fetch function below (Neon's client passes `fetchOptions` through). */
interface RoundTripOptions extends RequestInit {
  /** Dev and tests: the local endpoint, instead of the Neon endpoint the client computed from the host. */
  localEndpoint?: string;
  timeoutMs: number;
}

// Set once per isolate: `neonConfig` is global, so everything that differs between deployments
// (the local endpoint, the timeout) travels with each client's options instead.
neonConfig.fetchFunction = (input: RequestInfo | URL, { localEndpoint, timeoutMs, ...init }: RoundTripOptions) =>
  fetch(localEndpoint ?? input, { ...init, signal: AbortSignal.timeout(timeoutMs) });

/**
 * A Drizzle client for one request; creating it costs no I/O and never throws (the configuration
 * is checked once per isolate, see ./config). Every round trip is bounded by DB_TIMEOUT_MS.
 *
 * No relational schema is passed: the code uses the query builder and `sql`, never `db.query`,
 * and drizzle would otherwise rebuild the relational map of every table on each request (13 % of
 * the Worker's CPU time per request in the benchmark's profile, issue 19).
 *
 * With the local endpoint (development and tests only), the request id travels as the connection's
 * `application_name`, so the endpoint can count every statement per API request. Neon drops
 * `application_name` from HTTP connection strings, so it is not sent there.
 */
export function createDb(env: Env, requestId: string) {
  const localEndpoint = localDbEndpoint(env);
  const roundTrip: RoundTripOptions = { timeoutMs: Number(env.DB_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS };
  let connectionString = env.DATABASE_URL;
  if (localEndpoint) {
    roundTrip.localEndpoint = localEndpoint;
    if (URL.canParse(connectionString)) {
      const url = new URL(connectionString);
      url.searchParams.set('application_name', `aegisx:${requestId}`);
      connectionString = url.toString();
    }
  }
  return drizzle({ client: neon(connectionString, { fetchOptions: roundTrip }) });
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

/**
 * SQLSTATEs of Neon's own failures, not of the query: the proxy cancelled or lost the connection
 * (class 08, e.g. 08P01 "Query cancelled, connection was terminated"), the compute is restarting
 * (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), or its connection slots
 * are exhausted (53300). The same request can succeed moments later.
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Messages the Neon client (@neondatabase/serverless 1.2) gives the errors it raises itself, with
 * no SQLSTATE: the endpoint unreachable or timed out, an HTTP status other than 200 and 400 (a 5xx,
 * or 507 "response is too large"), an answer it cannot read.
 */
const UNREACHABLE = /^(Error connecting to database|Server error \(HTTP status \d+\)|Neon internal error)/;

/**
 * `unavailable`: Neon (or the way to it) failed, retry shortly. `configuration`: Neon refused the
 * connection itself, a 400 without a SQLSTATE (wrong credentials, unknown endpoint or database):
 * retrying will not help until DATABASE_URL is fixed. Undefined for errors of the query itself.
 */
export type DatabaseFailure = 'unavailable' | 'configuration';

export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof NeonDbError) {
      if (e.code) return e.code.startsWith('08') || TRANSIENT_SQLSTATES.has(e.code) ? 'unavailable' : undefined;
      return UNREACHABLE.test(e.message) ? 'unavailable' : 'configuration';
    }
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'unavailable';
  }
  return undefined;
}

function findNeonError(error: unknown): NeonDbError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof NeonDbError) return e;
  }
  return undefined;
}
