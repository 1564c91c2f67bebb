import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import worker from '../src/index';

export { env };

export interface Envelope<T = any> {
  success: boolean;
  data: T;
  meta: { timestamp: string; version: string; requestId: string; pagination?: Record<string, unknown> };
  error: { code: string; message: string; details?: any; requestId: string };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
  requestId: string;
}

let counter = 0;

/** A request id unique to this test run, so database counters can be read per request. */
export const newRequestId = (label = 'test') => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}-${crypto.randomUUID().slice(0, 8)}`;

type Init = Omit<RequestInit, 'body'> & {
  body?: unknown;
  token?: string;
  requestId?: string;
  raw?: boolean;
  /** Client address (CF-Connecting-IP); a random one by default, so rate limits are per test. */
  ip?: string;
  /** `request.cf` as Cloudflare would set it (country, city, latitude, longitude...). */
  cf?: Record<string, string>;
  /** The request's clock (X-Test-Now), honoured in the test environment only. */
  now?: Date;
};

export const randomIp = () => `10.${rnd()}.${rnd()}.${rnd()}`;
const rnd = () => Math.floor(Math.random() * 254) + 1;

/**
 * Sends a request through the real Worker (HTTP in, HTTP out: its fetch handler in workerd, with the
 * test bindings) and parses the envelope. It returns once the work the Worker left running after
 * the response (`waitUntil`: emails, queue sends, cache refills) has finished, so a test observes
 * that work deterministically instead of sleeping. (The handler is called directly rather than
 * through `exports.default.fetch`, which in vitest-pool-workers 0.15.1 slows down with every call a
 * file makes: it wraps the entrypoint in one more Proxy per request.)
 */
export async function api<T = any>(path: string, init: Init = {}): Promise<ApiResponse<T>> {
  const requestId = init.requestId ?? newRequestId();
  const headers = new Headers(init.headers);
  headers.set('X-Request-Id', requestId);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (!headers.has('cf-connecting-ip')) headers.set('CF-Connecting-IP', init.ip ?? randomIp());
  if (init.now) headers.set('X-Test-Now', init.now.toISOString());
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (init.raw) body = init.body as BodyInit;
    else {
      body = JSON.stringify(init.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  const { cf, ...rest } = init;
  const request = new Request(`https://api.test${path}`, { ...rest, headers, body, ...(cf ? { cf: cf as unknown as IncomingRequestCfProperties } : {}) });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, requestId };
}

/** Database round trips and statements the local endpoint counted for one request id. */
export async function dbStats(requestId: string): Promise<{ roundTrips: number; statements: number }> {
  const res = await fetch(`${env.TEST_DB_BASE_URL}/__stats?requestId=${encodeURIComponent(requestId)}`);
  return res.json();
}

/** Asserts the error envelope and its code. */
export function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.success).toBe(false);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.requestId).toBe(res.requestId);
}

/** Random identity for isolated test data. */
export function randomIdentity(prefix = 'u') {
  const id = crypto.randomUUID().replaceAll('-', '').slice(0, 12);
  return { email: `${prefix}-${id}@example.test`, username: `${prefix}_${id}` };
}

export const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/** A strong password that is not on the common list. */
export const newPassword = () => `pw-${crypto.randomUUID()}`;

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
}

/** Registers a fresh user through the API. */
export async function registerUser(overrides: Partial<{ email: string; username: string; password: string }> = {}): Promise<TestUser> {
  const identity = randomIdentity();
  const body = { ...identity, password: newPassword(), firstName: 'Test', lastName: 'User', ...overrides };
  const res = await api('/api/auth/register', { method: 'POST', body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.id, email: body.email, username: body.username, password: body.password };
}

export interface Login {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  user: any;
  setCookie: string | null;
}

/** Signs in through the API. */
export async function loginAs(email: string, password: string, init: Init = {}): Promise<Login> {
  const res = await api('/api/auth/login', { method: 'POST', body: { email, password }, ...init });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...res.body.data, setCookie: res.headers.get('set-cookie') };
}

/** A fresh user, signed in. */
export async function signedInUser(init: Init = {}) {
  const user = await registerUser();
  const session = await loginAs(user.email, user.password, init);
  return { user, session };
}

/** Reads rows straight from the database through the local endpoint (test assertions only). */
export async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  const res = await fetch(env.LOCAL_DB_ENDPOINT!, {
    method: 'POST',
    headers: { 'Neon-Connection-String': env.DATABASE_URL, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true' },
    body: JSON.stringify({ query, params }),
  });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`sql failed: ${json.message}`);
  return json.rows.map((row: unknown[]) => Object.fromEntries(json.fields.map((f: { name: string }, i: number) => [f.name, row[i]])));
}

/**
 * Makes sure the system settings are in KV, so a request's round trips exclude the cache fill: a
 * public read fills it (`api()` returns after the refill that runs after the response). A parallel
 * settings write empties it again, so it is read once more; if it stays empty the test fails.
 */
export async function warmSettingsCache() {
  for (let i = 0; i < 5 && (await env.CACHE.get('system-settings:v1')) === null; i++) await api('/api/system-settings/public');
  expect(await env.CACHE.get('system-settings:v1'), 'the settings cache stays empty').not.toBeNull();
}

/** Grants a role to a user directly in the database (test set-up only). */
export async function grantRole(userId: string, role: string) {
  await sql('insert into user_roles (user_id, role_id) select $1, id from roles where name = $2 on conflict do nothing', [userId, role]);
}

/**
 * A fresh user holding the admin role (`*:*`) and a verified email address, signed in. The role is
 * granted in the database before the user's first sign-in (nothing is cached for a user without a
 * session, so this equals an assignment through the API, without signing the seeded administrator
 * in from random addresses 140 times a run: its account-wide login rate limit would answer 429);
 * the email is verified through the API, with the link of the registration email.
 */
export async function signedInAdmin(init: Init = {}) {
  const user = await registerUser();
  await grantRole(user.id, 'admin');
  const session = await loginAs(user.email, user.password, init);
  await verifyOwnEmail(session.accessToken);
  return { user, session };
}

/** Runs statements in one transaction through the local endpoint (test assertions only); returns the last result's rows. */
export async function sqlBatch<T = Record<string, unknown>>(queries: { query: string; params?: unknown[] }[]): Promise<T[]> {
  const res = await fetch(env.LOCAL_DB_ENDPOINT!, {
    method: 'POST',
    headers: { 'Neon-Connection-String': env.DATABASE_URL, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true' },
    body: JSON.stringify({ queries: queries.map((q) => ({ query: q.query, params: q.params ?? [] })) }),
  });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`sql failed: ${json.message}`);
  const last = json.results.at(-1);
  return last.rows.map((row: unknown[]) => Object.fromEntries(last.fields.map((f: { name: string }, i: number) => [f.name, row[i]])));
}

/** The seeded administrator (`admin@aegisx.local`, active, verified, `*:*`), signed in. */
export async function seededAdmin(init: Init = {}): Promise<Login> {
  return loginAs('admin@aegisx.local', env.TEST_ADMIN_PASSWORD, init);
}

/** Creates a role holding exactly `permissions` through the API, as `admin` (an access token with `*:*`). */
export async function createRoleWith(adminToken: string, permissions: readonly string[], prefix = 'role'): Promise<{ id: string; name: string }> {
  const name = `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const res = await api('/api/roles', { method: 'POST', token: adminToken, body: { name, permissions } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.id, name };
}

/**
 * A fresh user whose only role holds exactly `permissions`, signed in. Set up through the API: the
 * role is created and assigned by `adminToken`, and the user's default `user` role is revoked.
 */
export async function userWithPermissions(adminToken: string, permissions: readonly string[]) {
  const user = await registerUser();
  const role = await createRoleWith(adminToken, permissions);
  const assigned = await api(`/api/users/${user.id}/roles`, { method: 'POST', token: adminToken, body: { roleId: role.id } });
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  const roles = await api('/api/roles', { token: adminToken });
  const userRole = (roles.body.data as { id: string; name: string }[]).find((r) => r.name === 'user')!;
  const revoked = await api(`/api/users/${user.id}/roles/${userRole.id}`, { method: 'DELETE', token: adminToken });
  expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
  const session = await loginAs(user.email, user.password);
  return { user, role, session };
}

/**
 * Verifies the email address of the user signed in with `token` through the API (the link of the
 * registration email in the development outbox), unless it is verified already.
 */
export async function verifyOwnEmail(token: string) {
  const me = await api('/api/auth/me', { token });
  expect(me.status, JSON.stringify(me.body)).toBe(200);
  if (me.body.data.emailVerified) return;
  const sent = await api(`/api/dev/outbox?${new URLSearchParams({ to: me.body.data.email, template: 'verify_email', limit: '1' })}`);
  const link = (sent.body.data[0]?.links as string[] | undefined)?.find((l) => l.includes('/auth/verify-email?'));
  expect(link, `no verification email to ${me.body.data.email}`).toBeTruthy();
  const verified = await api('/api/auth/verify-email', { method: 'POST', body: { token: new URL(link!).searchParams.get('token') } });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
}

/**
 * An API key of the user signed in with `token`, with `scopes`; returns the secret. Creating a key
 * needs a verified email address (verified here first, through the API) and a fresh sign-in.
 */
export async function createApiKey(token: string, scopes: readonly string[], name = 'test key'): Promise<{ id: string; key: string }> {
  await verifyOwnEmail(token);
  const res = await api('/api/api-keys', { method: 'POST', token, body: { name, scopes } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.id, key: res.body.data.key };
}
