import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, dbStats, env, expectError, newPassword, randomIdentity, signedInUser, sql, type ApiResponse } from '../harness';

/**
 * Faults of the database endpoint, set globally on the local endpoint (POST /__fault): this file
 * runs alone, after the other tests, and always clears the fault.
 */

/** Neon's own failure modes, as the local endpoint answers them (scripts/local-db/server.ts, `neonFailures`). */
const NEON_FAILURES = [
  'connection-terminated',
  'admin-shutdown',
  'crash-shutdown',
  'cannot-connect-now',
  'too-many-connections',
  'response-too-large',
  'bad-credentials',
] as const;

type FaultMode = null | 'down' | 'error500' | 'crash-mid-batch' | (typeof NEON_FAILURES)[number];

async function setFault(mode: FaultMode) {
  const res = await fetch(`${env.TEST_DB_BASE_URL}/__fault`, { method: 'POST', body: JSON.stringify({ mode }) });
  expect(res.status).toBe(200);
}

/** Reads a cached public endpoint until it is served from KV (no database round trip). */
async function cached(path: string): Promise<ApiResponse> {
  for (let i = 0; i < 100; i++) {
    const res = await api(path);
    expect(res.status).toBe(200);
    if ((await dbStats(res.requestId)).roundTrips === 0) return res;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} never came from the cache`);
}

function expectUnavailable(res: ApiResponse) {
  expectError(res, 503, 'SERVICE_UNAVAILABLE');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

const PUBLIC_CACHED = ['/api/system-settings/public', '/api/themes'];

afterEach(() => setFault(null));

describe.each(['down', 'error500'] as const)('the database endpoint %s', (mode) => {
  it('answers 503 in the envelope for reads and writes, and changes nothing', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    await setFault(mode);

    expectUnavailable(await api('/api/users/profile', { token }));
    expectUnavailable(await api('/api/auth/me', { token }));
    expectUnavailable(await api('/api/users/preferences', { method: 'PUT', token, body: { scheme: 'dark' } }));
    expectUnavailable(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }));
    expectUnavailable(await api('/api/auth/register', { method: 'POST', body: { ...randomIdentity(), password: newPassword(), firstName: 'No', lastName: 'Database' } }));
    const health = await api('/health');
    expectUnavailable(health);
    expect(health.body.error.details).toMatchObject({ status: 'degraded', database: { status: 'down' } });

    await setFault(null);
    const prefs = await api('/api/users/preferences', { token });
    expect(prefs.status).toBe(200);
    expect(prefs.body.data.scheme).not.toBe('dark');
    expect(await sql('select 1 from user_sessions where user_id = $1', [user.id])).toHaveLength(1);
  });

  it('keeps serving the cached public reads (system settings, themes) from KV', async () => {
    const warm = await Promise.all(PUBLIC_CACHED.map(cached));
    await setFault(mode);
    for (const [i, path] of PUBLIC_CACHED.entries()) {
      const res = await api(path);
      expect(res.status, path).toBe(200);
      expect(res.body.data).toEqual(warm[i]!.body.data);
      expect(await dbStats(res.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    }
  });

  it('answers 503 for a public read when KV fails too (nothing left to serve it from)', async () => {
    await Promise.all(PUBLIC_CACHED.map(cached));
    await setFault(mode);
    for (const path of PUBLIC_CACHED) expectUnavailable(await api(path, { headers: { 'X-Test-KV-Outage': '1' } }));
  });
});

describe.each(NEON_FAILURES)("Neon's own failure %s", (mode) => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, never 500, and writes nothing', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const errors = vi.spyOn(console, 'error');
    await setFault(mode);

    expectUnavailable(await api('/api/users/profile', { token }));
    const write = await api('/api/users/preferences', { method: 'PUT', token, body: { scheme: 'dark' } });
    expectUnavailable(write);
    expectUnavailable(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }));
    expect((await dbStats(write.requestId)).roundTrips).toBeGreaterThan(0);
    const health = await api('/health');
    expectUnavailable(health);
    expect(health.body.error.details).toMatchObject({ database: { status: 'down' } });

    // A 400 without a SQLSTATE means Neon refused the connection itself: logged as a configuration error.
    const logged = errors.mock.calls.map((args) => String(args[0])).filter((line) => line.includes(write.requestId));
    errors.mockRestore();
    expect(logged.some((line) => line.includes('configuration error'))).toBe(mode === 'bad-credentials');

    await setFault(null);
    const prefs = await api('/api/users/preferences', { token });
    expect(prefs.status).toBe(200);
    expect(prefs.body.data.scheme).not.toBe('dark');
    expect(await sql('select 1 from user_sessions where user_id = $1', [user.id])).toHaveLength(1);
  });
});

describe('a KV failure', () => {
  it('falls back to the database for the cached public reads', async () => {
    for (const path of PUBLIC_CACHED) {
      const fromCache = await cached(path);
      const res = await api(path, { headers: { 'X-Test-KV-Outage': '1' } });
      expect(res.status, path).toBe(200);
      expect(res.body.data).toEqual(fromCache.body.data);
      expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    }
  });
});

describe('a crash in the middle of a batch', () => {
  const count = async (query: string, params: unknown[]) => Number((await sql<{ n: string }>(query, params))[0]!.n);

  it('leaves nothing half-written: registration, profile update and login are all or nothing', async () => {
    const { user, session } = await signedInUser();
    const identity = randomIdentity('crash');
    const registration = { ...identity, password: newPassword(), firstName: 'Half', lastName: 'Written' };
    const auditBefore = await count('select count(*) as n from audit_logs where user_id = $1', [user.id]);
    await setFault('crash-mid-batch');

    const registered = await api('/api/auth/register', { method: 'POST', body: registration });
    expectUnavailable(registered);
    const updated = await api('/api/users/profile', { method: 'PUT', token: session.accessToken, body: { bio: 'half written' } });
    expectUnavailable(updated);
    const loggedIn = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } });
    expectUnavailable(loggedIn);
    // Each sent its batch (whose first statement ran before the connection dropped).
    for (const res of [registered, updated, loggedIn]) expect((await dbStats(res.requestId)).statements).toBeGreaterThan(1);

    await setFault(null);
    expect(await count('select count(*) as n from users where email = $1', [identity.email])).toBe(0);
    expect(await count("select count(*) as n from audit_logs where new_values->>'email' = $1", [identity.email])).toBe(0);
    const [profile] = await sql<{ bio: string | null }>('select bio from users where id = $1', [user.id]);
    expect(profile!.bio).toBeNull();
    expect(await count('select count(*) as n from audit_logs where user_id = $1', [user.id])).toBe(auditBefore);
    expect(await count('select count(*) as n from user_sessions where user_id = $1', [user.id])).toBe(1);

    // After the crash, the same requests go through whole.
    expect((await api('/api/auth/register', { method: 'POST', body: registration })).status).toBe(201);
    expect((await api('/api/users/profile', { method: 'PUT', token: session.accessToken, body: { bio: 'whole' } })).status).toBe(200);
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(200);
    expect(await count('select count(*) as n from user_sessions where user_id = $1', [user.id])).toBe(2);
  });
});
