import type { IncomingHttpHeaders } from 'node:http';
import { DatabaseError, type CustomTypesConfig, type FieldDef, type Pool, type PoolClient, type QueryArrayConfig } from 'pg';

/** One statement as the Neon client sends it: `$1`-style placeholders, text-encoded params, and an optional per-statement `arrayMode`. */
export interface SqlQuery {
  query: string;
  params: unknown[];
  arrayMode?: boolean;
}

/** How rows are written, from `Neon-Raw-Text-Output` and `Neon-Array-Mode` (anything but `true` is false, as on Neon). */
export interface OutputOptions {
  /** Values as Postgres's text output (`true`), or converted to JSON by type: booleans, int2/int4 and float numbers, parsed JSON, arrays as JSON arrays, everything else text. */
  rawText: boolean;
  /** Rows as arrays (`true`) or as objects keyed by field name; a statement's own `arrayMode` wins. */
  arrayMode: boolean;
}

export type SqlRequest =
  | { kind: 'query'; query: SqlQuery; output: OutputOptions }
  | { kind: 'batch'; queries: SqlQuery[]; begin: string; output: OutputOptions };

/** Neon's largest answer: `max_response_size_bytes` of its proxy, 10 MiB of JSON rows. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** A request this endpoint refuses: answered with HTTP 400 and `{message}`. */
export class BadRequestError extends Error {}

/** A batch stopped on purpose after some of its statements (fault injection): rolled back, then the connection dropped. */
export class BatchAbortedError extends Error {}

/** The rows of an answer passed the size limit: HTTP 507, as Neon answers. */
export class ResponseTooLargeError extends Error {
  constructor(readonly max: number) {
    super(`response is too large (max is ${max} bytes)`);
  }
}

/** The caller closed its connection (disconnected or timed out) before the answer was sent. */
export class CallerGoneError extends Error {
  constructor(readonly outcome: string) {
    super(`the caller went away: ${outcome}`);
  }
}

/** The database side of a request: a pool, and a way to interrupt a statement running on one of its connections. */
export interface Executor {
  pool: Pool;
  /**
   * Interrupts the statement running on `client` (Postgres: `pg_cancel_backend` from another
   * connection). Resolves to what was done, for the log.
   */
  cancelRunning(client: PoolClient): Promise<string>;
  /** Cache of `pg_type` facts, filled when rows are converted to JSON. */
  types: Map<number, TypeInfo>;
}

export interface ExecuteOptions {
  /** Fault injection: run this many statements of a batch, then (before COMMIT) roll it back and throw BatchAbortedError. */
  abortBatchAfter?: number;
  /** Aborted when the caller goes away: work not started is skipped, a batch is rolled back, a running statement is cancelled. */
  signal?: AbortSignal;
  /** Largest JSON of rows in one answer (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/**
 * What Neon's pooler runs on a connection before another request gets it: no open transaction,
 * no session settings, prepared statements, advisory locks or temporary tables survive a request.
 * The session's time zone goes back to UTC, as on Neon.
 */
export const RESET_CONNECTION =
  "ROLLBACK; RESET ALL; DEALLOCATE ALL; SELECT pg_advisory_unlock_all(); DISCARD TEMP; SET TIME ZONE 'UTC'";

/** Neon's answer when a request is cancelled (the client went away): HTTP 400, SQLSTATE 08P01. */
export const CANCELLED_BODY = { message: 'Query cancelled, connection was terminated', code: '08P01' };

const isolationLevels = new Map([
  ['ReadUncommitted', 'READ UNCOMMITTED'],
  ['ReadCommitted', 'READ COMMITTED'],
  ['RepeatableRead', 'REPEATABLE READ'],
  ['Serializable', 'SERIALIZABLE'],
]);

/** The Postgres error fields the Neon client copies onto its NeonDbError. */
const errorFields = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

// Rows are read as Postgres's text output; they are converted (or not) per the output headers.
const rawText: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a POST /sql body (`{query, params}` or `{queries: [...]}`) and its output and batch headers. */
export function parseSqlRequest(body: Record<string, unknown>, headers: IncomingHttpHeaders): SqlRequest {
  const output: OutputOptions = {
    rawText: headers['neon-raw-text-output'] === 'true',
    arrayMode: headers['neon-array-mode'] === 'true',
  };
  if (!('queries' in body)) return { kind: 'query', query: toQuery(body), output };
  if (!Array.isArray(body.queries)) throw new BadRequestError('"queries" must be an array');
  return { kind: 'batch', queries: body.queries.map(toQuery), begin: beginStatement(headers), output };
}

function toQuery(value: unknown): SqlQuery {
  if (!isRecord(value) || typeof value.query !== 'string') {
    throw new BadRequestError('expected {"query": string, "params": array}');
  }
  const params = value.params ?? [];
  if (!Array.isArray(params)) throw new BadRequestError('"params" must be an array');
  if (value.arrayMode !== undefined && typeof value.arrayMode !== 'boolean') throw new BadRequestError('"arrayMode" must be a boolean');
  return { query: value.query, params, ...(value.arrayMode === undefined ? {} : { arrayMode: value.arrayMode }) };
}

function beginStatement(headers: IncomingHttpHeaders): string {
  const level = headers['neon-batch-isolation-level'];
  const isolation = typeof level === 'string' ? isolationLevels.get(level) : undefined;
  if (level !== undefined && !isolation) throw new BadRequestError(`unknown Neon-Batch-Isolation-Level: ${level}`);
  return [
    'BEGIN',
    isolation && `ISOLATION LEVEL ${isolation}`,
    headers['neon-batch-read-only'] === 'true' && 'READ ONLY',
    headers['neon-batch-deferrable'] === 'true' && 'DEFERRABLE',
  ].filter(Boolean).join(' ');
}

interface RawResult {
  command: string;
  rowCount: number | null;
  fields: FieldDef[];
  rows: (string | null)[][];
}

/**
 * Runs a request on one pooled connection; a batch is one transaction, all or nothing. The
 * connection is reset (RESET_CONNECTION) before it goes back to the pool. When `signal` aborts
 * (the caller went away), nothing more is started, a running statement is cancelled and a batch
 * is rolled back: CallerGoneError.
 */
export async function executeSqlRequest(executor: Executor, request: SqlRequest, options: ExecuteOptions = {}): Promise<object> {
  const { signal } = options;
  const client = await executor.pool.connect();
  let reusable = true;
  try {
    if (signal?.aborted) throw new CallerGoneError('skipped before it started');
    const max = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const budget = { left: max, max };
    const { output } = request;
    // Rows are converted and counted against the size limit as each statement returns, before a batch commits.
    const run = async (query: SqlQuery) => {
      const raw = await runCancellable(executor, client, query, signal);
      if (!output.rawText) await loadTypes(executor, client, raw.fields.map((field) => field.dataTypeID));
      return toNeonResult(raw, query.arrayMode ?? output.arrayMode, output.rawText, executor.types, budget);
    };
    return request.kind === 'query'
      ? await run(request.query)
      : { results: await runBatch(client, request.queries, request.begin, run, options) };
  } catch (error) {
    // A Postgres error, an injected abort, a refused size or a departed caller leave the connection usable; anything else may have broken it.
    reusable = error instanceof DatabaseError || error instanceof BatchAbortedError || error instanceof ResponseTooLargeError || error instanceof CallerGoneError;
    throw error;
  } finally {
    if (reusable) {
      try {
        await client.query(RESET_CONNECTION);
      } catch {
        reusable = false;
      }
    }
    client.release(!reusable);
  }
}

async function runBatch<T>(
  client: PoolClient,
  queries: SqlQuery[],
  begin: string,
  run: (query: SqlQuery) => Promise<T>,
  { abortBatchAfter, signal }: ExecuteOptions,
): Promise<T[]> {
  await client.query(begin);
  try {
    const results: T[] = [];
    for (const query of queries) {
      if (signal?.aborted) throw new CallerGoneError(`batch rolled back after ${results.length} of ${queries.length} statement(s)`);
      results.push(await run(query));
      if (results.length === abortBatchAfter) throw new BatchAbortedError(`batch aborted after ${abortBatchAfter} of ${queries.length} statement(s), before COMMIT`);
    }
    if (signal?.aborted) throw new CallerGoneError(`batch rolled back after all ${queries.length} statement(s), before COMMIT`);
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** One statement; if the caller goes away while it runs, it is cancelled (and reported as CallerGoneError). */
async function runCancellable(executor: Executor, client: PoolClient, query: SqlQuery, signal: AbortSignal | undefined): Promise<RawResult> {
  if (signal?.aborted) throw new CallerGoneError('skipped before its first statement');
  let cancelled: Promise<string> | undefined;
  const onAbort = () => {
    cancelled = executor.cancelRunning(client).catch((error: unknown) => `cancel failed: ${String(error)}`);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await run(client, query);
  } catch (error) {
    if (cancelled) throw new CallerGoneError(`running statement interrupted (${await cancelled}): ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function run(client: PoolClient, { query, params }: SqlQuery): Promise<RawResult> {
  // The extended protocol (as Neon uses) refuses a string holding several statements.
  const config: QueryArrayConfig & { queryMode: 'extended' } = {
    text: query,
    values: params,
    rowMode: 'array',
    types: rawText,
    queryMode: 'extended',
  };
  const { command, rowCount, fields, rows } = await client.query(config);
  return { command, rowCount, fields, rows };
}

/** What converting a value to JSON needs to know about its type (rust-postgres's `Kind`, as Neon's proxy uses it). */
export interface TypeInfo {
  /** Element type of an array type. */
  element?: number;
}

async function loadTypes(executor: Executor, client: PoolClient, oids: number[]): Promise<void> {
  const missing = [...new Set(oids)].filter((oid) => !executor.types.has(oid));
  if (missing.length === 0) return;
  const { rows } = await client.query<{ oid: number; element: number | null }>(
    `select oid::int as oid, case when typcategory = 'A' and typelem <> 0 then typelem::int end as element
     from pg_type where oid = any($1::oid[])`,
    [missing],
  );
  for (const oid of missing) executor.types.set(oid, {});
  for (const { oid, element } of rows) executor.types.set(oid, element === null ? {} : { element });
  const elements = rows.flatMap((row) => (row.element === null ? [] : [row.element]));
  if (elements.length > 0) await loadTypes(executor, client, elements);
}

const BOOL = 16;
const INTEGERS = new Set([21, 23]);
const FLOATS = new Set([700, 701]);
const JSON_TYPES = new Set([114, 3802]);

/** A Postgres text value as Neon's proxy writes it when `Neon-Raw-Text-Output` is not `true`. */
export function textToJson(value: string, oid: number, types: Map<number, TypeInfo>): unknown {
  const element = types.get(oid)?.element;
  if (element !== undefined) return parseArray(value, element, types);
  if (oid === BOOL) return value === 't';
  if (INTEGERS.has(oid)) return Number.parseInt(value, 10);
  if (FLOATS.has(oid)) {
    const number = Number(value);
    // NaN and the infinities stay text, as on Neon.
    return Number.isFinite(number) ? number : value;
  }
  if (JSON_TYPES.has(oid)) return JSON.parse(value);
  return value;
}

/** Postgres's array text output (`{a,"b,c",NULL,{1,2}}`, optional `[1:2]=` bounds) as a JSON array; elements by their type. */
function parseArray(text: string, element: number, types: Map<number, TypeInfo>): unknown[] {
  let rest = text;
  if (rest.startsWith('[')) {
    const at = rest.indexOf('=');
    if (at < 0) throw new Error('unbalanced array');
    rest = rest.slice(at + 1);
  }
  const [values, after] = parseArrayInner(rest.trimStart(), element, types);
  if (after.length > 0) throw new Error('unbalanced array');
  return values;
}

function parseArrayInner(text: string, element: number, types: Map<number, TypeInfo>): [unknown[], string] {
  if (!text.startsWith('{')) throw new Error('unbalanced array');
  let rest = text.slice(1);
  const values: unknown[] = [];
  // `{}` is an empty array.
  if (rest.startsWith('}')) return [values, rest.slice(1).trimStart()];
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('{')) {
      const [nested, after] = parseArrayInner(rest, element, types);
      values.push(nested);
      rest = after;
    } else if (rest.startsWith('"')) {
      let item = '';
      let i = 1;
      for (; i < rest.length && rest[i] !== '"'; i++) item += rest[i] === '\\' ? rest[++i] : rest[i];
      if (i >= rest.length) throw new Error('unbalanced quoted string');
      values.push(textToJson(item, element, types));
      rest = rest.slice(i + 1).trimStart();
    } else {
      const end = rest.search(/[,}]/);
      if (end < 0) throw new Error('unbalanced array');
      const item = rest.slice(0, end).trimEnd();
      values.push(item === 'NULL' ? null : textToJson(item, element, types));
      rest = rest.slice(end);
    }
    if (rest.startsWith(',')) rest = rest.slice(1);
    else break;
  }
  if (!rest.startsWith('}')) throw new Error('unbalanced array');
  return [values, rest.slice(1).trimStart()];
}

/** One statement's answer in Neon's shape, counting its rows against the response budget. */
function toNeonResult(raw: RawResult, arrayMode: boolean, rawTextOutput: boolean, types: Map<number, TypeInfo>, budget: { left: number; max: number }) {
  const names = raw.fields.map((field) => field.name);
  const rows = raw.rows.map((values) => {
    const converted = values.map((value, i) =>
      value === null || rawTextOutput ? value : textToJson(value, raw.fields[i]!.dataTypeID, types),
    );
    const row = arrayMode ? converted : Object.fromEntries(converted.map((value, i) => [names[i], value]));
    budget.left -= Buffer.byteLength(JSON.stringify(row)) + 1;
    if (budget.left < 0) throw new ResponseTooLargeError(budget.max);
    return row;
  });
  return { command: raw.command, rowCount: raw.rowCount, fields: raw.fields, rows, rowAsArray: arrayMode };
}

/** The HTTP answer for a failed request, shaped as Neon's. */
export function errorResponse(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof DatabaseError) {
    const fields = Object.fromEntries(errorFields.map((field) => [field, error[field]]));
    return { status: 400, body: { message: error.message, ...fields } };
  }
  if (error instanceof BadRequestError) return { status: 400, body: { message: error.message } };
  if (error instanceof ResponseTooLargeError) return { status: 507, body: { message: error.message } };
  if (error instanceof CallerGoneError) return { status: 400, body: CANCELLED_BODY };
  return { status: 500, body: { message: String(error) } };
}
