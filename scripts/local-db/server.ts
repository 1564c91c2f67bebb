import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { openBackend } from './backend';
import { BadRequestError, BatchAbortedError, errorResponse, executeSqlRequest, isRecord, parseSqlRequest, type SqlRequest } from './neon-protocol';

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
}

/**
 * `down`: every round trip loses its connection; `error500`: every round trip answers HTTP 500;
 * `crash-mid-batch`: single queries run, but a batch runs its first statement and then the
 * connection drops before COMMIT (the transaction is rolled back, as Postgres does when a
 * client's connection dies inside a transaction).
 */
export type FaultMode = null | 'down' | 'error500' | 'crash-mid-batch';

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
const faultModes: readonly FaultMode[] = [null, 'down', 'error500', 'crash-mid-batch'];

/**
 * Serves Neon's SQL-over-HTTP protocol (POST /sql) on a local port, backed by PGlite or Postgres,
 * with control routes for tests: GET|DELETE /__stats, POST /__fault (globally, or for one request id
 * with `{mode, requestId}`), POST /__delay, GET /__health.
 */
export async function startLocalDb(options: LocalDbOptions = {}): Promise<LocalDb> {
  const { databaseUrl, dataDir, port = 0, host = '127.0.0.1', log = () => {}, onSql } = options;
  const startedAt = performance.now();
  let delayMs = options.delayMs ?? 0;
  let fault: FaultMode = null;
  /** Faults for one request id only, so parallel tests do not disturb each other. */
  const scopedFaults = new Map<string, FaultMode>();
  const counters = new Map<string, RequestStats>();
  const backend = await openBackend({ databaseUrl, dataDir, log });

  const stats = (requestId: string): RequestStats => ({
    ...(counters.get(requestId) ?? { roundTrips: 0, statements: 0 }),
  });

  async function handleSql(req: IncomingMessage, res: ServerResponse) {
    const requestId = requestIdOf(req.headers['neon-connection-string']);
    const counter = counters.get(requestId) ?? { roundTrips: 0, statements: 0 };
    counters.set(requestId, counter);
    counter.roundTrips += 1;
    const request = parseSqlRequest(await readJson(req), req.headers);
    counter.statements += request.kind === 'query' ? 1 : request.queries.length;
    onSql?.(requestId, request);
    if (delayMs > 0) await sleep(delayMs);
    const mode = scopedFaults.get(requestId) ?? fault;
    if (mode === 'down') {
      req.socket.destroy();
    } else if (mode === 'error500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('local-db: simulated server error');
    } else if (mode === 'crash-mid-batch' && request.kind === 'batch' && request.queries.length > 0) {
      try {
        await executeSqlRequest(backend.pool, request, { abortBatchAfter: 1 });
      } catch (error) {
        if (!(error instanceof BatchAbortedError)) throw error;
        log(`local-db: ${error.message} (fault crash-mid-batch)`);
      }
      req.socket.destroy();
    } else {
      sendJson(res, 200, await executeSqlRequest(backend.pool, request));
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
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
