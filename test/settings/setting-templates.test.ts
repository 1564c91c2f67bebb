import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, signedInAdmin, signedInUser, sql } from '../harness';

const category = () => `c_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
const cachedTemplates = async () => (await env.CACHE.get<{ id: string; category: string; version: string; validationRules: unknown }[]>('setting-templates:v1', 'json')) ?? [];

async function createTemplate(token: string, body: Record<string, unknown>) {
  const res = await api('/api/setting-templates', { method: 'POST', token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

describe('setting templates administration', () => {
  it('needs a token and the system:settings permission', async () => {
    const { session } = await signedInUser();
    const some = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['GET', '/api/setting-templates'],
      ['POST', '/api/setting-templates'],
      ['GET', `/api/setting-templates/${some}`],
      ['PUT', `/api/setting-templates/${some}`],
      ['DELETE', `/api/setting-templates/${some}`],
    ] as const) {
      const body = method === 'POST' || method === 'PUT' ? { required: true } : undefined;
      expectError(await api(path, { method, body }), 401, 'UNAUTHORIZED');
      expectError(await api(path, { method, body, token: session.accessToken }), 403, 'FORBIDDEN');
    }
  });

  it('lists the seeded templates, typed, with an ETag, in one round trip', async () => {
    const { session } = await signedInAdmin();
    const res = await api('/api/setting-templates?category=theme', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect(res.body.data.find((t: any) => t.key === 'name')).toMatchObject({
      category: 'theme',
      defaultValue: 'default',
      dataType: 'string',
      userConfigurable: true,
      validationRules: { type: 'string', enum: ['default', 'dark', 'minimal', 'enterprise'] },
    });
    expect((await api('/api/setting-templates?category=theme', { token: session.accessToken, headers: { 'If-None-Match': res.headers.get('etag')! } })).status).toBe(304);
    const all = await api('/api/setting-templates', { token: session.accessToken });
    expect(all.body.data.length).toBeGreaterThanOrEqual(7);
  });

  it('creates, updates and deletes in one round trip each, written through to KV, with audit rows', async () => {
    const { user, session } = await signedInAdmin();
    const token = session.accessToken;
    const cat = category();
    const made = await createTemplate(token, {
      category: cat,
      key: 'tab_size',
      dataType: 'number',
      defaultValue: 4,
      validationRules: { type: 'integer', minimum: 1, maximum: 8 },
      description: 'Spaces per tab',
    });
    expect(await dbStats(made.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    const id = made.body.data.id;
    expect(made.body.data).toMatchObject({ category: cat, key: 'tab_size', defaultValue: 4, dataType: 'number', userConfigurable: true, required: false });
    expect((await cachedTemplates()).find((t) => t.id === id)).toBeTruthy();

    const got = await api(`/api/setting-templates/${id}`, { token });
    expect(got.body.data).toEqual(made.body.data);
    expect(got.headers.get('etag')).toBe(made.headers.get('etag'));

    const updated = await api(`/api/setting-templates/${id}`, { method: 'PUT', token, body: { validationRules: { type: 'integer', minimum: 2, maximum: 4 }, userConfigurable: false } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(await dbStats(updated.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect(updated.body.data).toMatchObject({ validationRules: { maximum: 4 }, userConfigurable: false });
    expect((await cachedTemplates()).find((t) => t.id === id)!.validationRules).toEqual({ type: 'integer', minimum: 2, maximum: 4 });

    const deleted = await api(`/api/setting-templates/${id}`, { method: 'DELETE', token });
    expect(deleted.body.data).toEqual({ id, deleted: true });
    expect(await dbStats(deleted.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect((await cachedTemplates()).find((t) => t.id === id)).toBeUndefined();
    expectError(await api(`/api/setting-templates/${id}`, { token }), 404, 'NOT_FOUND');

    const audit = await sql<{ action: string }>("select action from audit_logs where entity_type = 'setting_template' and entity_id = $1 and user_id = $2", [id, user.id]);
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update']);
  });

  it('refuses unusable rules and defaults that break them, listing the failing paths', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const cat = category();
    const badDefault = await api('/api/setting-templates', {
      method: 'POST',
      token,
      body: {
        category: cat,
        key: 'colours',
        dataType: 'json',
        defaultValue: { primary: 'blue', extra: 1 },
        validationRules: { type: 'object', properties: { primary: { type: 'string', pattern: '^#[0-9a-f]{6}$' } }, additionalProperties: false },
      },
    });
    expectError(badDefault, 400, 'VALIDATION_ERROR');
    expect(badDefault.body.error.details.map((d: any) => d.field).sort()).toEqual(['body.defaultValue.extra', 'body.defaultValue.primary']);

    for (const rules of [{ type: 'string', pattern: '([' }, { $ref: 'https://example.com/schema.json' }, { properties: { a: { pattern: '(' } } }]) {
      const res = await api('/api/setting-templates', { method: 'POST', token, body: { category: cat, key: 'k', dataType: 'string', defaultValue: 'x', validationRules: rules } });
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.details[0].field).toBe('body.validationRules');
    }
    expectError(await api('/api/setting-templates', { method: 'POST', token, body: { category: cat, key: 'k', dataType: 'number', defaultValue: 'four' } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/setting-templates', { method: 'POST', token, body: { category: cat, key: 'k', dataType: 'number', defaultValue: 4, userId: 'x' } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/setting-templates', { method: 'POST', token, body: { category: 'theme', key: 'name', dataType: 'string', defaultValue: 'x' } }), 409, 'CONFLICT');

    const made = await createTemplate(token, { category: cat, key: 'size', dataType: 'number', defaultValue: 10, validationRules: { type: 'number', maximum: 20 } });
    const breaks = await api(`/api/setting-templates/${made.body.data.id}`, { method: 'PUT', token, body: { validationRules: { type: 'number', maximum: 5 } } });
    expectError(breaks, 400, 'VALIDATION_ERROR');
    expect(breaks.body.error.details).toEqual([{ field: 'body.defaultValue', message: expect.any(String), code: 'maximum' }]);
    expect((await api(`/api/setting-templates/${made.body.data.id}`, { method: 'PUT', token, body: { validationRules: { type: 'number', maximum: 5 }, defaultValue: 5 } })).status).toBe(200);
    await api(`/api/setting-templates/${made.body.data.id}`, { method: 'DELETE', token });
  });

  it('honours If-Match: a stale ETag gets 412 and changes nothing', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const made = await createTemplate(token, { category: category(), key: 'k', dataType: 'boolean', defaultValue: true });
    const id = made.body.data.id;
    const etag = made.headers.get('etag')!;
    const first = await api(`/api/setting-templates/${id}`, { method: 'PUT', token, body: { required: true }, headers: { 'If-Match': etag } });
    expect(first.status).toBe(200);
    const stale = await api(`/api/setting-templates/${id}`, { method: 'PUT', token, body: { userConfigurable: false }, headers: { 'If-Match': etag } });
    expectError(stale, 412, 'PRECONDITION_FAILED');
    expect(stale.body.error.details.currentEtag).toBe(first.headers.get('etag'));
    expectError(await api(`/api/setting-templates/${id}`, { method: 'PUT', token, body: { defaultValue: false }, headers: { 'If-Match': etag } }), 412, 'PRECONDITION_FAILED');
    expectError(await api(`/api/setting-templates/${id}`, { method: 'DELETE', token, headers: { 'If-Match': etag } }), 412, 'PRECONDITION_FAILED');
    const [row] = await sql<{ user_configurable: string; default_value: string }>('select user_configurable, default_value from setting_templates where id = $1', [id]);
    expect(row).toEqual({ user_configurable: 't', default_value: 'true' });
    await api(`/api/setting-templates/${id}`, { method: 'DELETE', token, headers: { 'If-Match': first.headers.get('etag')! } });
  });

  it('checks a definition change against the current template even when KV was stale', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const made = await createTemplate(token, { category: category(), key: 'n', dataType: 'number', defaultValue: 3, validationRules: { type: 'number' } });
    const id = made.body.data.id;
    // Another admin elsewhere changed the default; this location's KV has not seen it.
    await sql("update setting_templates set default_value = '50', updated_at = now() where id = $1", [id]);
    const res = await api(`/api/setting-templates/${id}`, { method: 'PUT', token, body: { validationRules: { type: 'number', maximum: 10 } } });
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.details[0].field).toBe('body.defaultValue');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    const [row] = await sql<{ validation_rules: string }>('select validation_rules from setting_templates where id = $1', [id]);
    expect(JSON.parse(row!.validation_rules)).toEqual({ type: 'number' });
    await api(`/api/setting-templates/${id}`, { method: 'DELETE', token });
  });
});
