import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { api, env, expectError, newRequestId, type ApiResponse } from '../harness';

/**
 * The Worker's own fetch handler (src/index.ts, the default export workerd runs), called with this
 * run's bindings with one or more variables changed, as a deployment with that configuration
 * would receive them. Each env object is a separate configuration: it is checked on its first
 * request, then remembered.
 */
async function call(path: string, changes: Record<string, string | undefined>, init: RequestInit = {}): Promise<ApiResponse> {
  const requestId = newRequestId('config');
  const headers = new Headers(init.headers);
  headers.set('X-Request-Id', requestId);
  headers.set('CF-Connecting-IP', '10.1.2.3');
  const bindings = { ...env, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete (bindings as Record<string, unknown>)[name];
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://api.test${path}`, { ...init, headers }) as Request<unknown, IncomingRequestCfProperties>, bindings, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), requestId };
}

function expectConfigurationError(res: ApiResponse, variables: string[]) {
  expectError(res, 503, 'CONFIGURATION_ERROR');
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(variables);
  for (const detail of res.body.error.details) expect(detail).toEqual({ field: expect.any(String), message: expect.any(String), code: expect.stringMatching(/^(missing|invalid|not_allowed)$/) });
}

const PATHS = ['/health', '/api/docs', '/api/openapi.json', '/api/auth/me', '/api/system-settings/public', '/no/such/route'];

describe('configuration checked once per isolate', () => {
  it('serves normally with this run’s configuration', async () => {
    const res = await call('/health', {});
    expect(res.status).toBe(200);
    expect(res.body.data.database.status).toBe('up');
  });

  const cases: [string, Record<string, string | undefined>, string][] = [
    ['DATABASE_URL missing', { DATABASE_URL: undefined }, 'DATABASE_URL'],
    ['DATABASE_URL empty', { DATABASE_URL: '' }, 'DATABASE_URL'],
    ['DATABASE_URL not a URL', { DATABASE_URL: 'host=db user=aegisx password=Secret-db-pw-1' }, 'DATABASE_URL'],
    ['DATABASE_URL another scheme', { DATABASE_URL: 'mysql://aegisx:Secret-db-pw-1@db.example/aegisx' }, 'DATABASE_URL'],
    ['DATABASE_URL without a password', { DATABASE_URL: 'postgresql://aegisx@db.example/aegisx' }, 'DATABASE_URL'],
    ['DATABASE_URL without a database', { DATABASE_URL: 'postgresql://aegisx:Secret-db-pw-1@db.example' }, 'DATABASE_URL'],
    ['JWT_SECRET missing', { JWT_SECRET: undefined }, 'JWT_SECRET'],
    ['JWT_SECRET of 31 bytes', { JWT_SECRET: 'Secret-jwt-0123456789abcdefghij' }, 'JWT_SECRET'],
    ['ENCRYPTION_KEY missing', { ENCRYPTION_KEY: undefined }, 'ENCRYPTION_KEY'],
    ['ENCRYPTION_KEY not base64', { ENCRYPTION_KEY: 'Secret key that is not base64 at all!!' }, 'ENCRYPTION_KEY'],
    ['ENCRYPTION_KEY of 16 bytes', { ENCRYPTION_KEY: 'U2VjcmV0LWtleS0xNmJ5dA==' }, 'ENCRYPTION_KEY'],
    ['ENCRYPTION_KEY of 33 bytes', { ENCRYPTION_KEY: 'U2VjcmV0LWtleS0zMy1ieXRlcy0wMTIzNDU2Nzg5YWJj' }, 'ENCRYPTION_KEY'],
    ['CORS_ORIGINS a wildcard', { CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    ['CORS_ORIGINS with a wildcard among origins', { CORS_ORIGINS: 'https://app.aegisx.example, *' }, 'CORS_ORIGINS'],
    ['CORS_ORIGINS with a wildcard subdomain', { CORS_ORIGINS: 'https://*.aegisx.example' }, 'CORS_ORIGINS'],
  ];

  it.each(cases)('%s: every route answers 503 CONFIGURATION_ERROR naming the variable, never its value', async (_, changes, variable) => {
    for (const path of PATHS) {
      const res = await call(path, changes);
      expectConfigurationError(res, [variable]);
      expect(res.headers.get('x-request-id')).toBe(res.requestId);
      const body = JSON.stringify(res.body);
      for (const value of Object.values(changes)) if (value) expect(body).not.toContain(value);
    }
  });

  it('names every variable at fault at once', async () => {
    const res = await call('/health', { DATABASE_URL: undefined, JWT_SECRET: 'short', ENCRYPTION_KEY: '' });
    expectConfigurationError(res, ['DATABASE_URL', 'JWT_SECRET', 'ENCRYPTION_KEY']);
  });

  it('accepts a JWT_SECRET of exactly 32 bytes and unpadded or URL-safe base64 keys', async () => {
    const res = await call('/health', { JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY' });
    expect(res.status).toBe(200);
  });

  it('refuses LOCAL_DB_ENDPOINT when APP_ENV is production (or anything but development and test)', async () => {
    for (const APP_ENV of ['production', 'staging']) {
      const res = await call('/health', { APP_ENV });
      expectConfigurationError(res, ['LOCAL_DB_ENDPOINT']);
      expect(JSON.stringify(res.body)).not.toContain(env.LOCAL_DB_ENDPOINT!);
    }
    expect((await call('/health', { APP_ENV: 'development' })).status).toBe(200);
    expectConfigurationError(await call('/health', { LOCAL_DB_ENDPOINT: 'ftp://127.0.0.1/sql' }), ['LOCAL_DB_ENDPOINT']);
  });

  it('refuses a wildcard or null CORS_ORIGINS at start-up and never reflects an origin for it, preflights included', async () => {
    for (const CORS_ORIGINS of ['*', ' * ', 'http://localhost:4200,*', 'null', 'http://localhost:4200, NULL']) {
      const evil = await call('/api/auth/me', { CORS_ORIGINS }, { headers: { Origin: 'https://evil.example' } });
      expectConfigurationError(evil, ['CORS_ORIGINS']);
      expect(evil.body.error.details[0].code).toBe('not_allowed');
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const opaque = await call('/api/auth/me', { CORS_ORIGINS }, { headers: { Origin: 'null' } });
      expectConfigurationError(opaque, ['CORS_ORIGINS']);
      expect(opaque.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await worker.fetch(
        new Request('https://api.test/api/auth/me', {
          method: 'OPTIONS',
          headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization', 'CF-Connecting-IP': '10.1.2.3' },
        }) as Request<unknown, IncomingRequestCfProperties>,
        { ...env, CORS_ORIGINS },
        createExecutionContext(),
      );
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
    // A listed origin is still answered with itself (the refusal names the variable to fix).
    const listed = await call('/api/auth/me', { CORS_ORIGINS: 'http://localhost:4200,*' }, { headers: { Origin: 'http://localhost:4200' } });
    expectConfigurationError(listed, ['CORS_ORIGINS']);
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect((await call('/health', { CORS_ORIGINS: 'http://localhost:4200, https://app.aegisx.example' })).status).toBe(200);
  });

  it('answers with the CORS and security headers', async () => {
    const changes = { JWT_SECRET: undefined };
    const res = await call('/api/auth/me', changes, { headers: { Origin: 'http://localhost:4200' } });
    expectConfigurationError(res, ['JWT_SECRET']);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves the configured Worker untouched', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
  });
});
