import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { errorStatus } from '../../src/lib/errors';
import { api, env, newRequestId, randomIp, signedInAdmin, sql, type ApiResponse } from '../harness';
import { casesFor, type Case, type OpenApiDocument, type Operation } from './schema-cases';

/**
 * Walks every operation of the OpenAPI document the Worker serves and sends it bad input derived
 * from its schemas (schema-cases.ts), as an admin, so that permission checks do not hide
 * validation. Every answer is a 4xx in the error envelope (or a 2xx where the input is acceptable),
 * never a 5xx. Nothing was written for a refused request: the admin's audit rows are counted
 * around each operation (run one at a time, a few cases at once), and every table is searched for
 * the markers the refused requests carried in their values.
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

/** The admin the operations run as; replaced when a case that was accepted ended its session (sign-out, revocation). */
let admin: Admin;
const newAdmin = async (): Promise<Admin> => {
  const { user, session } = await signedInAdmin();
  return { userId: user.id, token: session.accessToken };
};
const alive = async (who: Admin) => (await api('/api/auth/me', { token: who.token })).status !== 401;

/** Markers of refused requests, looked for in every table at the end. */
const refusedMarkers = new Map<string, string>();
const acceptedMarkers = new Set<string>();

async function adminAuditRows(userId: string): Promise<number> {
  const [row] = await sql<{ n: string }>('select count(*) as n from audit_logs where user_id = $1', [userId]);
  return Number(row!.n);
}

/** The work the Worker left running after its responses (`waitUntil`), awaited before the final scan. */
const contexts: ExecutionContext[] = [];

/**
 * Sends a case to the Worker's fetch handler (src/index.ts, in workerd, with the test bindings), as
 * the harness's `api` does through `exports.default.fetch`, which slows down with every call it has
 * made in a file (vitest-pool-workers 0.15.1 wraps the entrypoint's prototype in one more Proxy per
 * request): this file sends some 1,500 requests.
 */
async function send(c: Case, token: string | undefined): Promise<ApiResponse> {
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

beforeAll(async () => {
  admin = await newAdmin();
});

describe('bad input on every operation of the OpenAPI document', () => {
  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.every(({ op }) => op.operationId)).toBe(true);
  });

  describe('operations', () => {
    for (const { path, method, op, index } of operations) {
      const cases = casesFor(document, path, method, op, markerFor(index));
      const isProtected = !(Array.isArray(op.security) && op.security.length === 0);

      it(`${op.operationId}: ${method} ${path} (${cases.length} cases)`, { timeout: 120_000 }, async () => {
        const auditBefore = await adminAuditRows(admin.userId);
        const problems: string[] = [];
        let accepted = 0;
        for (let i = 0; i < cases.length; i += PARALLEL) {
          const batch = cases.slice(i, i + PARALLEL);
          const used = admin;
          const answers = await Promise.all(batch.map((c) => send(c, isProtected ? used.token : undefined)));
          // A case that was accepted may have ended the admin's session (sign-out): the cases refused
          // for that reason are sent again, one at a time, by a new admin.
          const sessionRefused = answers.map((res) => isProtected && res.status === 401 && res.body?.error?.code === 'UNAUTHORIZED');
          if (sessionRefused.some(Boolean) && !(await alive(used))) {
            for (const [j, refused] of sessionRefused.entries()) {
              if (!refused) continue;
              if (admin === used || !(await alive(admin))) admin = await newAdmin();
              answers[j] = await send(batch[j]!, admin.token);
            }
          }
          for (const [j, res] of answers.entries()) {
            const c = batch[j]!;
            const problem = problemWith(c, res, isProtected);
            if (problem) problems.push(`${c.name}: ${problem}\n    ${c.method} ${c.path.slice(0, 200)} ${c.body?.slice(0, 200) ?? ''}\n    -> ${JSON.stringify(res.body).slice(0, 300)}`);
            if (res.status < 400) {
              accepted += 1;
              acceptedMarkers.add(c.marker);
              if (method === 'POST' && res.status === 201) await undoCreate(path, res, admin.token);
            } else {
              refusedMarkers.set(c.marker, `${op.operationId} / ${c.name}`);
            }
          }
          if (answers.some((res) => res.status < 400) && !(await alive(admin))) admin = await newAdmin();
        }
        expect(problems, problems.join('\n')).toEqual([]);
        if (accepted === 0) expect(await adminAuditRows(admin.userId), 'audit rows written by refused requests').toBe(auditBefore);
      });
    }
  });

  it('wrote nothing anywhere for the refused requests', async () => {
    await Promise.all(contexts.splice(0).map((ctx) => waitOnExecutionContext(ctx)));
    // Telemetry written for refused requests by design, not data: session activity records every API
    // call of a session (its path included), security events record refused sign-in attempts.
    const ignored = new Set(['session_activity', 'session_security_events']);
    const tables = (await sql<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"))
      .map((t) => t.name)
      .filter((name) => !ignored.has(name));
    expect(tables.length).toBeGreaterThan(15);
    const scan = tables.map((name) => `select '${name}' as tbl, m[1] as marker from "${name}" t, regexp_matches(t::text, '(${markerPattern})', 'g') m`).join(' union all ');
    const found = await sql<{ tbl: string; marker: string }>(scan);
    const written = found.filter((row) => refusedMarkers.has(row.marker) && !acceptedMarkers.has(row.marker));
    expect(written.map((row) => `${row.tbl}: ${refusedMarkers.get(row.marker)}`)).toEqual([]);
    // The scan does see what the accepted requests wrote (it is not looking in the wrong place).
    expect(found.some((row) => acceptedMarkers.has(row.marker))).toBe(true);
    expect(refusedMarkers.size).toBeGreaterThan(500);
  });
});
