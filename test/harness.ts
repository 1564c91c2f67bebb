import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';

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

type Init = Omit<RequestInit, 'body'> & { body?: unknown; token?: string; requestId?: string; raw?: boolean };

/** Sends a request through the real Worker (HTTP in, HTTP out) and parses the envelope. */
export async function api<T = any>(path: string, init: Init = {}): Promise<ApiResponse<T>> {
  const requestId = init.requestId ?? newRequestId();
  const headers = new Headers(init.headers);
  headers.set('X-Request-Id', requestId);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (init.raw) body = init.body as BodyInit;
    else {
      body = JSON.stringify(init.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  const response = await exports.default.fetch(new Request(`https://api.test${path}`, { ...init, headers, body }));
  const text = await response.text();
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
