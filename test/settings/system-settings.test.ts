import { describe, expect, it } from 'vitest';
import removeDecorativeSettings from '../../migrations/0009_remove_decorative_settings.sql?raw';
import { api, dbStats, env, expectError, signedInAdmin, signedInUser, sql, sqlBatch } from '../harness';

const KV_OUTAGE = { 'X-Test-KV-Outage': '1' };
const unique = () => `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

/**
 * Fills the settings cache through the API (`api()` returns after the refill that runs after the
 * response); a parallel write empties it again, so it is read once more, and the test fails if the
 * cache still stays empty.
 */
async function warmPublicSettings() {
  for (let i = 0; i < 5 && (await env.CACHE.get('system-settings:v1')) === null; i++) await api('/api/system-settings/public');
  expect(await env.CACHE.get('system-settings:v1'), 'the settings cache stays empty').not.toBeNull();
}

async function createSetting(token: string, body: Record<string, unknown>) {
  const res = await api('/api/system-settings', { method: 'POST', token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

describe('the seeded system settings', () => {
  it('are only settings the code reads; the ones that only contradicted the deployment are gone', async () => {
    const rows = await sql<{ name: string }>("select category || '.' || key as name from system_settings where category in ('app', 'security', 'features') order by 1");
    const seeded = rows.map((r) => r.name);
    // Each of these is read by the Worker (two-factor issuer, login throttle, sign-in of unverified users,
    // re-authentication window, registration switch, two-factor requirement) or shown by front ends.
    expect(seeded).toEqual(expect.arrayContaining([
      'app.description', 'app.name', 'features.registration_enabled', 'features.two_factor_required',
      'security.allow_unverified_login', 'security.max_login_attempts', 'security.reauthentication_window_seconds',
    ]));
    const removed = await sql("select 1 from system_settings where (category, key) in (('security', 'jwt_expiry'), ('security', 'refresh_token_expiry'), ('app', 'version'))");
    expect(removed).toHaveLength(0);
    const publicSettings = await api('/api/system-settings/public');
    expect(publicSettings.body.data.app).not.toHaveProperty('version');
    // The version and the token lifetimes come from the deployment.
    expect((await api('/api/info')).body.data.version).toBe(env.APP_VERSION);
  });

  it('are removed from an existing installation by migration 0009', async () => {
    // One transaction: the seed document's rows are inserted, the migration runs, the rows are counted
    // (0 only because the migration removed them); nothing is ever visible to other requests.
    const seedDocumentRows = `insert into system_settings (category, key, value, data_type, is_public) values
      ('security', 'jwt_expiry', '3600', 'number', false), ('security', 'refresh_token_expiry', '86400', 'number', false),
      ('app', 'version', '1.0.0', 'string', true)`;
    const migration = removeDecorativeSettings.split('--> statement-breakpoint').map((q) => q.trim()).filter(Boolean);
    expect(migration.length).toBeGreaterThan(0);
    const [after] = await sqlBatch<{ n: number }>([
      { query: seedDocumentRows },
      ...migration.map((query) => ({ query })),
      { query: "select count(*)::int as n from system_settings where (category, key) in (('security', 'jwt_expiry'), ('security', 'refresh_token_expiry'), ('app', 'version'))" },
    ]);
    expect(Number(after?.n)).toBe(0);
  });
});

describe('GET /api/system-settings/public', () => {
  it('serves the public settings without authentication, typed, and never the private ones', async () => {
    const res = await api('/api/system-settings/public');
    expect(res.status).toBe(200);
    expect(res.body.data.app).toMatchObject({ name: 'AegisX Platform' });
    expect(typeof res.body.data.features.registration_enabled).toBe('boolean');
    expect(res.body.data.security).toBeUndefined();
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
  });

  it('costs zero database round trips on a cache hit, and answers 304 to a current If-None-Match', async () => {
    await warmPublicSettings();
    const hit = await api('/api/system-settings/public');
    expect(hit.status).toBe(200);
    expect(await dbStats(hit.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    const etag = hit.headers.get('etag')!;
    const again = await api('/api/system-settings/public', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.get('etag')).toBe(etag);
    expect(await dbStats(again.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    const other = await api('/api/system-settings/public', { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
    expect((await api('/api/system-settings/public', { headers: { 'If-None-Match': `W/${etag}` } })).status).toBe(304);
    expectError(await api('/api/system-settings/public', { headers: { 'If-None-Match': 'x'.repeat(1001) } }), 400, 'VALIDATION_ERROR');
  });

  it('falls back to the database when KV fails, with the same answer', async () => {
    await warmPublicSettings();
    const cached = await api('/api/system-settings/public');
    const outage = await api('/api/system-settings/public', { headers: KV_OUTAGE });
    expect(outage.status).toBe(200);
    expect(outage.body.data.app).toEqual(cached.body.data.app);
    expect(await dbStats(outage.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('shows an admin change on the next read: create, update and delete are written through to KV', async () => {
    const { session } = await signedInAdmin();
    const category = unique();
    await warmPublicSettings();
    const made = await createSetting(session.accessToken, { category, key: 'banner', value: 'Hello', dataType: 'string', isPublic: true });
    const afterCreate = await api('/api/system-settings/public');
    expect(afterCreate.body.data[category]).toEqual({ banner: 'Hello' });
    expect(await dbStats(afterCreate.requestId)).toEqual({ roundTrips: 0, statements: 0 });

    const id = made.body.data.id;
    const updated = await api(`/api/system-settings/${id}`, { method: 'PUT', token: session.accessToken, body: { value: 'Goodbye' } });
    expect(updated.status).toBe(200);
    expect((await api('/api/system-settings/public')).body.data[category]).toEqual({ banner: 'Goodbye' });

    await api(`/api/system-settings/${id}`, { method: 'PUT', token: session.accessToken, body: { isPublic: false } });
    expect((await api('/api/system-settings/public')).body.data[category]).toBeUndefined();

    const deleted = await api(`/api/system-settings/${id}`, { method: 'DELETE', token: session.accessToken });
    expect(deleted.body.data).toEqual({ id, deleted: true });
    const cached = (await env.CACHE.get<{ category: string }[]>('system-settings:v1', 'json'))!;
    expect(cached.some((s) => s.category === category)).toBe(false);
  });
});

describe('system settings administration', () => {
  it('needs a token and the system:settings permission', async () => {
    const { session } = await signedInUser();
    const some = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['GET', '/api/system-settings'],
      ['POST', '/api/system-settings'],
      ['GET', `/api/system-settings/${some}`],
      ['PUT', `/api/system-settings/${some}`],
      ['DELETE', `/api/system-settings/${some}`],
    ] as const) {
      const body = method === 'POST' || method === 'PUT' ? { value: 1 } : undefined;
      expectError(await api(path, { method, body }), 401, 'UNAUTHORIZED');
      expectError(await api(path, { method, body, token: session.accessToken }), 403, 'FORBIDDEN');
    }
  });

  it('lists and reads typed values with requiresRestart, in one round trip each, with ETags', async () => {
    const { session } = await signedInAdmin();
    const list = await api('/api/system-settings?category=security', { token: session.accessToken });
    expect(list.status).toBe(200);
    expect(await dbStats(list.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const attempts = list.body.data.find((s: any) => s.key === 'max_login_attempts');
    expect(attempts).toMatchObject({ category: 'security', dataType: 'number', isPublic: false, requiresRestart: false });
    expect(typeof attempts.value).toBe('number');
    expect(list.body.data.every((s: any) => s.category === 'security')).toBe(true);
    const notModified = await api('/api/system-settings?category=security', { token: session.accessToken, headers: { 'If-None-Match': list.headers.get('etag')! } });
    expect(notModified.status).toBe(304);

    const one = await api(`/api/system-settings/${attempts.id}`, { token: session.accessToken });
    expect(one.body.data).toEqual(attempts);
    expect(one.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await dbStats(one.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expectError(await api('/api/system-settings/00000000-0000-4000-8000-000000000000', { token: session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api('/api/system-settings/not-a-uuid', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
  });

  it('creates, updates and deletes in one round trip each, with an audit row holding old and new values', async () => {
    const { user, session } = await signedInAdmin();
    const category = unique();
    const made = await createSetting(session.accessToken, { category, key: 'limit', value: 10, dataType: 'number', requiresRestart: true, description: 'A limit' });
    expect(made.body.data).toMatchObject({ category, key: 'limit', value: 10, dataType: 'number', isPublic: false, requiresRestart: true, description: 'A limit' });
    expect(await dbStats(made.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    const id = made.body.data.id;

    const updated = await api(`/api/system-settings/${id}`, { method: 'PUT', token: session.accessToken, body: { value: 25, requiresRestart: false } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ value: 25, requiresRestart: false });
    expect(updated.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await dbStats(updated.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    const [row] = await sql<{ value: string; data_type: string }>('select value, data_type from system_settings where id = $1', [id]);
    expect(row).toEqual({ value: '25', data_type: 'number' });

    const retyped = await api(`/api/system-settings/${id}`, { method: 'PUT', token: session.accessToken, body: { value: { max: 3 }, dataType: 'json' } });
    expect(retyped.body.data).toMatchObject({ value: { max: 3 }, dataType: 'json' });

    const deleted = await api(`/api/system-settings/${id}`, { method: 'DELETE', token: session.accessToken });
    expect(deleted.status).toBe(200);
    expect(await dbStats(deleted.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expectError(await api(`/api/system-settings/${id}`, { method: 'DELETE', token: session.accessToken }), 404, 'NOT_FOUND');

    const audit = (
      await sql<{ action: string; old_values: string | null; new_values: string | null }>(
        "select action, old_values, new_values from audit_logs where entity_type = 'system_setting' and entity_id = $1 and user_id = $2",
        [id, user.id],
      )
    ).map((a) => ({ action: a.action, old_values: a.old_values && JSON.parse(a.old_values), new_values: a.new_values && JSON.parse(a.new_values) }));
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update', 'update']);
    const firstUpdate = audit.find((a) => a.action === 'update' && a.new_values.value === '25')!;
    expect(firstUpdate.old_values).toMatchObject({ value: '10', dataType: 'number', requiresRestart: true });
    expect(firstUpdate.new_values).toEqual({ value: '25', requiresRestart: false });
  });

  it('rejects values that do not match the data type, and duplicates', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const category = unique();
    expectError(await api('/api/system-settings', { method: 'POST', token, body: { category, key: 'n', value: 'ten', dataType: 'number' } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/system-settings', { method: 'POST', token, body: { category, key: 'n', value: 1, dataType: 'number', extra: true } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/system-settings', { method: 'POST', token, body: { category: 'Bad Category', key: 'n', value: 1, dataType: 'number' } }), 400, 'VALIDATION_ERROR');
    const made = await createSetting(token, { category, key: 'n', value: 1, dataType: 'number' });
    expectError(await api('/api/system-settings', { method: 'POST', token, body: { category, key: 'n', value: 2, dataType: 'number' } }), 409, 'CONFLICT');
    const id = made.body.data.id;
    const wrongType = await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'two' } });
    expectError(wrongType, 400, 'VALIDATION_ERROR');
    expect(wrongType.body.error.details[0].field).toBe('body.value');
    expectError(await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { dataType: 'string' } }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: {} }), 400, 'VALIDATION_ERROR');
    const [row] = await sql<{ value: string }>('select value from system_settings where id = $1', [id]);
    expect(row!.value).toBe('1');
    await api(`/api/system-settings/${id}`, { method: 'DELETE', token });
  });

  it('honours If-Match: a stale ETag gets 412 and changes nothing', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const made = await createSetting(token, { category: unique(), key: 'mode', value: 'a', dataType: 'string' });
    const id = made.body.data.id;
    const etag = made.headers.get('etag')!;
    const first = await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'b' }, headers: { 'If-Match': etag } });
    expect(first.status).toBe(200);
    const fresh = first.headers.get('etag')!;
    expect(fresh).not.toBe(etag);

    const stale = await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'c' }, headers: { 'If-Match': etag } });
    expectError(stale, 412, 'PRECONDITION_FAILED');
    expect(stale.body.error.details.currentEtag).toBe(fresh);
    expect(await dbStats(stale.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expectError(await api(`/api/system-settings/${id}`, { method: 'DELETE', token, headers: { 'If-Match': etag } }), 412, 'PRECONDITION_FAILED');
    expectError(await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'c' }, headers: { 'If-Match': `W/${fresh}` } }), 412, 'PRECONDITION_FAILED');
    const [row] = await sql<{ value: string }>('select value from system_settings where id = $1', [id]);
    expect(row!.value).toBe('b');
    expect(await sql("select 1 from audit_logs where entity_id = $1 and action = 'update'", [id])).toHaveLength(1);

    expect((await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'c' }, headers: { 'If-Match': `"0123", ${fresh}` } })).status).toBe(200);
    expect((await api(`/api/system-settings/${id}`, { method: 'DELETE', token, headers: { 'If-Match': '*' } })).status).toBe(200);
  });

  it('keeps the values of secret-looking keys out of the audit trail', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const made = await createSetting(token, { category: unique(), key: 'smtp_password', value: 'hunter2-secret', dataType: 'string' });
    const id = made.body.data.id;
    await api(`/api/system-settings/${id}`, { method: 'PUT', token, body: { value: 'another-secret' } });
    await api(`/api/system-settings/${id}`, { method: 'DELETE', token });
    const rows = await sql<{ row: string }>('select row_to_json(a)::text as row from audit_logs a where entity_id = $1', [id]);
    expect(rows).toHaveLength(3);
    for (const { row } of rows) {
      expect(row).not.toContain('hunter2');
      expect(row).not.toContain('another-secret');
    }
  });
});
