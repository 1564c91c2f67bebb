import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { openBackend } from './backend';
import {
  BadRequestError,
  BatchAbortedError,
  CallerGoneError,
  CANCELLED_BODY,
  errorResponse,
  executeSqlRequest,
  isRecord,
  MAX_RESPONSE_BYTES,
  parseSqlRequest,
  type SqlQuery,
  type SqlRequest,
} from './neon-protocol';

export interface LocalDbOptions {
  /** A real Postgres URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite persistence folder; undefined = in-memory. */
  dataDir?: string;
  /** HTTP port, 0 = random (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Simulated network delay added to every round trip (default 0). */
  delayMs?: number;
  log?: (line: string) => void;
  /** Called with every SQL request before it runs (the benchmark keeps the statements it explains). */
  onSql?: (requestId: string, request: SqlRequest) => void;
  /** Largest JSON of rows in one answer before it is refused with 507 (default: Neon's 10 MiB). */
  maxResponseBytes?: number;
}

/**
 * `down`: every round trip loses its connection; `error500`: every round trip answers HTTP 500;
 * `crash-mid-batch`: single queries run, but a batch runs its first statement and then the
 * connection drops before COMMIT (the transaction is rolled back, as Postgres does when a
 * client's connection dies inside a transaction). The other modes answer, without running
 * anything, what Neon answers in its own failure modes (see `neonFailures`).
 */
export type FaultMode = null | 'down' | 'error500' | 'crash-mid-batch' | keyof typeof neonFailures;

/**
 * Neon's answers when Neon itself fails, as its proxy writes them: HTTP status and body.
 * `connection-terminated`: the proxy cancelled the query (SQLSTATE 08P01); `admin-shutdown`,
 * `crash-shutdown`, `cannot-connect-now`: the compute restarting (57P01, 57P02, 57P03);
 * `too-many-connections`: connection slots exhausted (53300); `response-too-large`: 507;
 * `bad-credentials`: a 400 without a SQLSTATE (the proxy's authentication failure).
 */
export const neonFailures = {
  'connection-terminated': { status: 400, body: CANCELLED_BODY },
  'admin-shutdown': { status: 400, body: { message: 'terminating connection due to administrator command', code: '57P01', severity: 'FATAL' } },
  'crash-shutdown': { status: 400, body: { message: 'terminating connection because of crash of another server process', code: '57P02', severity: 'FATAL' } },
  'cannot-connect-now': { status: 400, body: { message: 'the database system is starting up', code: '57P03', severity: 'FATAL' } },
  'too-many-connections': { status: 400, body: { message: 'sorry, too many clients already', code: '53300', severity: 'FATAL' } },
  'response-too-large': { status: 507, body: { message: `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)` } },
  'bad-credentials': { status: 400, body: { message: "password authentication failed for user 'aegisx'" } },
} as const satisfies Record<string, { status: number; body: Record<string, string> }>;

export interface RequestStats {
  roundTrips: number;
  statements: number;
}

export interface LocalDb {
  /** What `neonConfig.fetchEndpoint` is set to, e.g. http://127.0.0.1:PORT/sql. */
  endpoint: string;
  baseUrl: string;
  /** A DATABASE_URL for the Worker; the endpoint ignores its host and credentials. */
  connectionString: string;
  /** A Postgres URL of the database behind the endpoint, for tools that speak the Postgres protocol. */
  postgresUrl: string;
  /** For migrations and seeds in Node (a single connection on PGlite). */
  pool: Pool;
  stats(requestId: string): RequestStats;
  resetStats(): void;
  setFault(mode: FaultMode): void;
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

const connectionString = 'postgresql://aegisx:aegisx@localdb.localhost:5432/aegisx';
const applicationNamePrefix = 'aegisx:';
const faultModes: readonly FaultMode[] = [null, 'down', 'error500', 'crash-mid-batch', ...(Object.keys(neonFailures) as (keyof typeof neonFailures)[])];

/**
 * Serves Neon's SQL-over-HTTP protocol (POST /sql) on a local port, backed by PGlite or Postgres,
 * with control routes for tests: GET|DELETE /__stats, POST /__fault (globally, or for one request id
 * with `{mode, requestId}`), POST /__delay, GET /__health, and POST /__capture `{requestId}` then
 * GET /__captured?requestId=… for the statements one request sent (as sent: SQL text and parameters).
 */
export async function startLocalDb(options: LocalDbOptions = {}): Promise<LocalDb> {
  const { databaseUrl, dataDir, port = 0, host = '127.0.0.1', log = () => {}, onSql, maxResponseBytes } = options;
  const startedAt = performance.now();
  let delayMs = options.delayMs ?? 0;
  let fault: FaultMode = null;
  /** Faults for one request id only, so parallel tests do not disturb each other. */
  const scopedFaults = new Map<string, FaultMode>();
  const counters = new Map<string, RequestStats>();
  /** Statements sent under a request id a test asked to capture (only those, so nothing grows unasked). */
  const captured = new Map<string, SqlQuery[]>();
  const backend = await openBackend({ databaseUrl, dataDir, log });

  const stats = (requestId: string): RequestStats => ({
    ...(counters.get(requestId) ?? { roundTrips: 0, statements: 0 }),
  });

  async function handleSql(req: IncomingMessage, res: ServerResponse) {
    // As on Neon, a caller that disconnects or times out stops the work done for it.
    const caller = new AbortController();
    res.once('close', () => {
      if (!res.writableEnded) caller.abort();
    });
    const requestId = requestIdOf(req.headers['neon-connection-string']);
    const counter = counters.get(requestId) ?? { roundTrips: 0, statements: 0 };
    counters.set(requestId, counter);
    counter.roundTrips += 1;
    const request = parseSqlRequest(await readJson(req), req.headers);
    counter.statements += request.kind === 'query' ? 1 : request.queries.length;
    onSql?.(requestId, request);
    captured.get(requestId)?.push(...(request.kind === 'query' ? [request.query] : request.queries));
    const execute = (abortBatchAfter?: number) =>
      executeSqlRequest(backend, request, { signal: caller.signal, maxResponseBytes, abortBatchAfter });
    try {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: caller.signal });
      const mode = scopedFaults.get(requestId) ?? fault;
      if (mode === 'down') {
        req.socket.destroy();
      } else if (mode === 'error500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('local-db: simulated server error');
      } else if (mode === 'crash-mid-batch' && request.kind === 'batch' && request.queries.length > 0) {
        try {
          await execute(1);
        } catch (error) {
          if (!(error instanceof BatchAbortedError)) throw error;
          log(`local-db: ${error.message} (fault crash-mid-batch)`);
        }
        req.socket.destroy();
      } else if (mode !== null && mode !== 'crash-mid-batch') {
        sendJson(res, neonFailures[mode].status, neonFailures[mode].body);
      } else {
        sendJson(res, 200, await execute());
      }
    } catch (error) {
      if (!caller.signal.aborted) throw error;
      const outcome = error instanceof CallerGoneError ? error.outcome : 'skipped before it started';
      log(`local-db: request ${requestId || '(no id)'}: the caller went away, ${outcome}`);
      throw error instanceof CallerGoneError ? error : new CallerGoneError(outcome);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://local-db');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'POST /sql':
        return handleSql(req, res);
      case 'GET /__health':
        return sendJson(res, 200, { ok: true, backend: backend.kind });
      case 'GET /__stats': {
        const requestId = url.searchParams.get('requestId');
        return sendJson(res, 200, requestId === null ? Object.fromEntries(counters) : stats(requestId));
      }
      case 'DELETE /__stats':
        counters.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST /__fault': {
        const { mode, requestId } = await readJson(req);
        if (!faultModes.includes(mode as FaultMode)) {
          throw new BadRequestError(`mode must be one of ${faultModes.map((m) => JSON.stringify(m)).join(', ')}`);
        }
        if (requestId !== undefined && typeof requestId !== 'string') throw new BadRequestError('requestId must be a string');
        if (requestId === undefined) fault = mode as FaultMode;
        else if (mode === null) scopedFaults.delete(requestId);
        else scopedFaults.set(requestId, mode as FaultMode);
        return sendJson(res, 200, { mode, ...(requestId === undefined ? {} : { requestId }) });
      }
      case 'POST /__capture': {
        const { requestId } = await readJson(req);
        if (typeof requestId !== 'string' || requestId === '') throw new BadRequestError('requestId must be a non-empty string');
        captured.set(requestId, []);
        return sendJson(res, 200, { requestId });
      }
      case 'GET /__captured': {
        const requestId = url.searchParams.get('requestId') ?? '';
        const queries = captured.get(requestId);
        if (!queries) throw new BadRequestError(`nothing is captured for request id ${JSON.stringify(requestId)}`);
        captured.delete(requestId);
        return sendJson(res, 200, { queries: queries.map(({ query, params }) => ({ query, params })) });
      }
      case 'POST /__delay': {
        const { ms } = await readJson(req);
        if (typeof ms !== 'number' || ms < 0) throw new BadRequestError('ms must be a number >= 0');
        delayMs = ms;
        return sendJson(res, 200, { ms });
      }
      default:
        return sendJson(res, 404, { message: `no route ${route}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const { status, body } = errorResponse(error);
      if (status >= 500) log(`local-db: ${req.method} ${req.url} failed: ${String(error)}`);
      sendJson(res, status, body);
    });
  });
  // Node closes a keep-alive connection after 5 s idle by default; a client that reuses it at that
  // moment (workerd under load does) writes into a closed socket: "Network connection lost". The
  // clients close idle connections themselves, and stop() closes the rest.
  server.keepAliveTimeout = 0;
  try {
    server.listen(port, host);
    await once(server, 'listening');
  } catch (error) {
    await backend.close();
    throw error;
  }

  const baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  log(`local-db: ${backend.kind} on ${baseUrl}/sql, ready in ${Math.round(performance.now() - startedAt)} ms`);

  let stopped: Promise<void> | undefined;
  async function shutdown() {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
    await backend.close();
  }

  return {
    endpoint: `${baseUrl}/sql`,
    baseUrl,
    connectionString,
    postgresUrl: backend.postgresUrl,
    pool: backend.pool,
    stats,
    resetStats: () => counters.clear(),
    setFault: (mode) => {
      fault = mode;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () => (stopped ??= shutdown()),
  };
}

/** The Worker tags its queries with `application_name=aegisx:<requestId>` in the connection string. */
function requestIdOf(connection: string | string[] | undefined): string {
  if (typeof connection !== 'string' || !URL.canParse(connection)) return '';
  const name = new URL(connection).searchParams.get('application_name') ?? '';
  return name.startsWith(applicationNamePrefix) ? name.slice(applicationNamePrefix.length) : '';
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const json: unknown = await text(req).then(JSON.parse).catch(() => undefined);
  if (!isRecord(json)) throw new BadRequestError('the request body must be a JSON object');
  return json;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  // A caller that went away gets nothing.
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
