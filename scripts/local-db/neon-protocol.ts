import type { IncomingHttpHeaders } from 'node:http';
import { DatabaseError, type CustomTypesConfig, type Pool, type PoolClient, type QueryArrayConfig } from 'pg';

/** One statement as the Neon client sends it: `$1`-style placeholders and text-encoded params. */
export interface SqlQuery {
  query: string;
  params: unknown[];
}

export type SqlRequest =
  | { kind: 'query'; query: SqlQuery }
  | { kind: 'batch'; queries: SqlQuery[]; begin: string };

/** A request this endpoint refuses: answered with HTTP 400 and `{message}`. */
export class BadRequestError extends Error {}

/** A batch stopped on purpose after some of its statements (fault injection): rolled back, then the connection dropped. */
export class BatchAbortedError extends Error {}

export interface ExecuteOptions {
  /** Fault injection: run this many statements of a batch, then (before COMMIT) roll it back and throw BatchAbortedError. */
  abortBatchAfter?: number;
}

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

// Neon answers with Postgres's text output and the client parses it by dataTypeID.
const rawText: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a POST /sql body (`{query, params}` or `{queries: [...]}`) and its batch headers. */
export function parseSqlRequest(body: Record<string, unknown>, headers: IncomingHttpHeaders): SqlRequest {
  if (!('queries' in body)) return { kind: 'query', query: toQuery(body) };
  if (!Array.isArray(body.queries)) throw new BadRequestError('"queries" must be an array');
  return { kind: 'batch', queries: body.queries.map(toQuery), begin: beginStatement(headers) };
}

function toQuery(value: unknown): SqlQuery {
  if (!isRecord(value) || typeof value.query !== 'string') {
    throw new BadRequestError('expected {"query": string, "params": array}');
  }
  const params = value.params ?? [];
  if (!Array.isArray(params)) throw new BadRequestError('"params" must be an array');
  return { query: value.query, params };
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

/** Runs a request on one pooled connection; a batch is one transaction, all or nothing. */
export async function executeSqlRequest(pool: Pool, request: SqlRequest, options: ExecuteOptions = {}): Promise<object> {
  const client = await pool.connect();
  try {
    const body = request.kind === 'query'
      ? await run(client, request.query)
      : { results: await runBatch(client, request.queries, request.begin, options.abortBatchAfter) };
    client.release();
    return body;
  } catch (error) {
    // A Postgres error (or an injected abort, rolled back) leaves the connection usable; anything else may have broken it.
    client.release(!(error instanceof DatabaseError || error instanceof BatchAbortedError));
    throw error;
  }
}

async function runBatch(client: PoolClient, queries: SqlQuery[], begin: string, abortAfter?: number) {
  await client.query(begin);
  try {
    const results = [];
    for (const query of queries) {
      results.push(await run(client, query));
      if (results.length === abortAfter) throw new BatchAbortedError(`batch aborted after ${abortAfter} of ${queries.length} statement(s), before COMMIT`);
    }
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function run(client: PoolClient, { query, params }: SqlQuery) {
  // The extended protocol (as Neon uses) refuses a string holding several statements.
  const config: QueryArrayConfig & { queryMode: 'extended' } = {
    text: query,
    values: params,
    rowMode: 'array',
    types: rawText,
    queryMode: 'extended',
  };
  const { command, rowCount, fields, rows } = await client.query(config);
  return { command, rowCount, fields, rows, rowAsArray: true };
}

/** The HTTP answer for a failed request, shaped as Neon's. */
export function errorResponse(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof DatabaseError) {
    const fields = Object.fromEntries(errorFields.map((field) => [field, error[field]]));
    return { status: 400, body: { message: error.message, ...fields } };
  }
  if (error instanceof BadRequestError) return { status: 400, body: { message: error.message } };
  return { status: 500, body: { message: String(error) } };
}
