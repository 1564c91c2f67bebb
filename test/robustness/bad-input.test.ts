import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { errorStatus } from '../../src/lib/errors';
import { api, env, newRequestId, randomIp, signedInAdmin, sql, type ApiResponse } from '../harness';
import { casesFor, type Case, type OpenApiDocument, type Operation } from './schema-cases';

/**
 * Walks every operation of the OpenAPI document the Worker serves and sends it bad input derived
 * from its schemas (schema-cases.ts) and from limits every field has (a 100,000-character string,
 * 1,001 items), as a fresh admin per operation, so that permission checks do not hide validation
 * and no operation depends on another. Every answer is a 4xx in the error envelope (or a 2xx where
 * the input is acceptable), never a 5xx. Nothing was written for a refused request: for every
 * operation, no audit row carries a refused request's id, and no table holds the markers the
 * refused requests carried in their values.
 */

const document = (await api<OpenApiDocument>('/api/openapi.json')).body as unknown as OpenApiDocument;
const operations = Object.entries(document.paths)
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Operation })))
  .map((operation, index) => ({ ...operation, index }));
const run = crypto.randomUUID().replaceAll('-', '').slice(0, 6);
const pad = (n: number) => String(n).padStart(3, '0');
/** Markers are lowercase letters and digits, so they fit in emails, usernames and keys. */
const markerFor = (opIndex: number) => (i: number) => `zbi${run}o${pad(opIndex)}c${pad(i)}`;
/** Fixed-width numbers: a marker cut short by a length limit cannot pass for another case's. */
const markerPattern = `zbi${run}o[0-9]{3}c[0-9]{3}`;
const knownCodes = new Set(Object.keys(errorStatus));
/** Cases in flight at once. */
const PARALLEL = 8;

interface Admin {
  userId: string;
  token: string;
}

const newAdmin = async (): Promise<Admin> => {
  const { user, session } = await signedInAdmin();
  return { userId: user.id, token: session.accessToken };
};
const alive = async (who: Admin) => (await api('/api/auth/me', { token: who.token })).status !== 401;

/** Base tables to search for markers, less the telemetry written for refused requests by design. */
let tables: string[] | undefined;
async function searchedTables(): Promise<string[]> {
  // Not data: session activity records every API call of a session (its path included), security
  // events record refused sign-in attempts.
  const ignored = new Set(['session_activity', 'session_security_events']);
  tables ??= (await sql<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"))
    .map((t) => t.name)
    .filter((name) => !ignored.has(name));
  return tables;
}

/** Every occurrence of a marker matching `pattern` in any searched table. */
async function markersWritten(pattern: string): Promise<{ tbl: string; marker: string }[]> {
  const names = await searchedTables();
  const scan = names.map((name) => `select '${name}' as tbl, m[1] as marker from "${name}" t, regexp_matches(t::text, '(${pattern})', 'g') m`).join(' union all ');
  return sql<{ tbl: string; marker: string }>(scan);
}

/**
 * Sends a case to the Worker's fetch handler (src/index.ts, in workerd, with the test bindings), as
 * the harness's `api` does through `exports.default.fetch`, which slows down with every call it has
 * made in a file (vitest-pool-workers 0.15.1 wraps the entrypoint's prototype in one more Proxy per
 * request): this file sends some 1,500 requests.
 */
async function send(c: Case, token: string | undefined, contexts: ExecutionContext[]): Promise<ApiResponse> {
  const requestId = newRequestId('bad');
  const headers = new Headers(c.headers);
  headers.set('X-Request-Id', requestId);
  headers.set('CF-Connecting-IP', randomIp());
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const ctx = createExecutionContext();
  contexts.push(ctx);
  const response = await worker.fetch(new Request(`https://api.test${c.path}`, { method: c.method, headers, ...(c.body === undefined ? {} : { body: c.body }) }), env, ctx);
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, requestId };
}

/** What an answer must look like; returns a problem, or null. */
function problemWith(c: Case, res: ApiResponse, isProtected: boolean): string | null {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status >= 400) {
    const error = res.body?.error;
    if (res.body?.success !== false || typeof error?.code !== 'string' || !knownCodes.has(error.code)) return `${res.status} outside the error envelope`;
    if (error.requestId !== res.requestId) return `${res.status} with requestId ${error.requestId}, not ${res.requestId}`;
    if (isProtected && error.code === 'UNAUTHORIZED') return '401 UNAUTHORIZED: the admin token was refused, validation was not reached';
    if (isProtected && error.code === 'FORBIDDEN') return '403 FORBIDDEN for an admin: permissions hid validation';
    return null;
  }
  if (c.mustReject) return `accepted (${res.status}) input that breaks a declared rule`;
  const json = (res.headers.get('content-type') ?? '').includes('json');
  if (json && res.body?.success !== true) return `${res.status} outside the success envelope`;
  return null;
}

/**
 * Undoes an accepted create, so that other test files do not see it: DELETE on `${path}/{param}`
 * with the created object's `param` (or id), when the document has one. Roles and permissions stay
 * (nobody holds them): deleting one moves the global permission epoch, after which every access
 * token issued before re-reads its permissions once, one more query in other files' round-trip counts.
 */
const KEPT = new Set(['/api/roles/{id}', '/api/permissions/{id}']);
async function undoCreate(path: string, res: ApiResponse, token: string) {
  const item = Object.keys(document.paths).find((p) => /^\/\{[^}]+\}$/.test(p.slice(path.length)) && p.startsWith(path) && document.paths[p]?.delete);
  if (!item || KEPT.has(item)) return;
  const param = item.slice(path.length + 2, -1);
  const data = res.body?.data;
  const value = data?.[param] ?? data?.id;
  if (typeof value !== 'string') return;
  await api(item.replace(`{${param}}`, encodeURIComponent(value)), { method: 'DELETE', token });
}

describe('bad input on every operation of the OpenAPI document', () => {
  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.every(({ op }) => op.operationId)).toBe(true);
  });

  describe('operations', () => {
    for (const { path, method, op, index } of operations) {
      const cases = casesFor(document, path, method, op, markerFor(index));
      const isProtected = !(Array.isArray(op.security) && op.security.length === 0);

      it(`${op.operationId}: ${method} ${path} (${cases.length} cases)`, { timeout: 180_000 }, async () => {
        let admin = await newAdmin();
        const contexts: ExecutionContext[] = [];
        const problems: string[] = [];
        const refused = new Map<string, { marker: string; name: string }>();
        const acceptedMarkers = new Set<string>();
        for (let i = 0; i < cases.length; i += PARALLEL) {
          const batch = cases.slice(i, i + PARALLEL);
          const used = admin;
          const answers = await Promise.all(batch.map((c) => send(c, isProtected ? used.token : undefined, contexts)));
          // A case that was accepted may have ended the admin's session (sign-out): the cases refused
          // for that reason are sent again, one at a time, by a new admin.
          const sessionRefused = answers.map((res) => isProtected && res.status === 401 && res.body?.error?.code === 'UNAUTHORIZED');
          if (sessionRefused.some(Boolean) && !(await alive(used))) {
            for (const [j, wasRefused] of sessionRefused.entries()) {
              if (!wasRefused) continue;
              if (admin === used || !(await alive(admin))) admin = await newAdmin();
              answers[j] = await send(batch[j]!, admin.token, contexts);
            }
          }
          for (const [j, res] of answers.entries()) {
            const c = batch[j]!;
            const problem = problemWith(c, res, isProtected);
            if (problem) problems.push(`${c.name}: ${problem}\n    ${c.method} ${c.path.slice(0, 200)} ${c.body?.slice(0, 200) ?? ''}\n    -> ${JSON.stringify(res.body).slice(0, 300)}`);
            if (res.status < 400) {
              acceptedMarkers.add(c.marker);
              if (method === 'POST' && res.status === 201) await undoCreate(path, res, admin.token);
            } else {
              refused.set(res.requestId, { marker: c.marker, name: c.name });
            }
          }
          if (answers.some((res) => res.status < 400) && !(await alive(admin))) admin = await newAdmin();
        }
        expect(problems, problems.join('\n')).toEqual([]);
        await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));

        // No refused request left an audit row (whether or not other cases of the operation were accepted).
        const audited = await sql<{ request_id: string; entity_type: string; action: string }>(
          "select metadata->>'requestId' as request_id, entity_type, action::text from audit_logs where metadata->>'requestId' in (select jsonb_array_elements_text($1::jsonb))",
          [JSON.stringify([...refused.keys()])],
        );
        expect(audited.map((a) => `${refused.get(a.request_id)!.name}: ${a.entity_type} ${a.action}`), 'audit rows written by refused requests').toEqual([]);
        // No table holds a refused request's marker.
        const refusedMarkers = new Map([...refused.values()].map((r) => [r.marker, r.name]));
        const written = (await markersWritten(`zbi${run}o${pad(index)}c[0-9]{3}`)).filter((row) => refusedMarkers.has(row.marker) && !acceptedMarkers.has(row.marker));
        expect(written.map((row) => `${row.tbl}: ${refusedMarkers.get(row.marker)}`), 'values of refused requests written').toEqual([]);
      });
    }
  });

  it('finds a written marker: the search looks where the data is', async () => {
    const admin = await newAdmin();
    const marker = `zbi${run}o999c000`;
    const res = await api('/api/users/profile', { method: 'PUT', token: admin.token, body: { bio: marker } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const found = await markersWritten(`zbi${run}o999c[0-9]{3}`);
    expect(found).toContainEqual({ tbl: 'users', marker });
    expect(found).toContainEqual({ tbl: 'audit_logs', marker });
  });
});
