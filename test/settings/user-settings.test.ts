import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { signedInWith } from './helpers';

const category = () => `c_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

/**
 * Fills the templates cache through the API (`api()` returns after the refill that runs after the
 * response). A parallel file creating a template empties it again: then it is filled once more, and
 * if that keeps happening the test fails instead of going on with a cold cache.
 */
async function warmTemplates() {
  const { session } = await signedInUser();
  for (let i = 0; i < 5 && (await env.CACHE.get('setting-templates:v1')) === null; i++) {
    await api('/api/user-settings/warm/up', { method: 'PUT', token: session.accessToken, body: { value: 1, dataType: 'number' } });
  }
  expect(await env.CACHE.get('setting-templates:v1'), 'the templates cache stays empty').not.toBeNull();
}

async function template(body: Record<string, unknown>) {
  const { session } = await signedInAdmin();
  const res = await api('/api/setting-templates', { method: 'POST', token: session.accessToken, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.data.id as string, admin: session.accessToken };
}

const paletteRules = {
  type: 'object',
  properties: {
    primary: { type: 'string', pattern: '^#[0-9a-f]{6}$' },
    size: { type: 'integer', minimum: 1 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['primary'],
  additionalProperties: false,
};

describe('typed user settings', () => {
  it('need a token, settings:view to read and settings:update to write', async () => {
    for (const [method, path] of [
      ['GET', '/api/user-settings'],
      ['GET', '/api/user-settings/editor/tab_size'],
      ['PUT', '/api/user-settings/editor/tab_size'],
      ['DELETE', '/api/user-settings/editor/tab_size'],
    ] as const) {
      expectError(await api(path, { method, ...(method === 'PUT' ? { body: { value: 1 } } : {}) }), 401, 'UNAUTHORIZED');
    }
    const { session } = await signedInWith(['settings:view']);
    expect((await api('/api/user-settings', { token: session.accessToken })).status).toBe(200);
    expectError(await api('/api/user-settings/editor/tab_size', { method: 'PUT', token: session.accessToken, body: { value: 2, dataType: 'number' } }), 403, 'FORBIDDEN');
    expectError(await api('/api/user-settings/editor/tab_size', { method: 'DELETE', token: session.accessToken }), 403, 'FORBIDDEN');
    const noTheme = await signedInWith(['settings:view', 'settings:update']);
    expectError(await api('/api/user-settings/theme/dark_mode', { method: 'PUT', token: noTheme.session.accessToken, body: { value: true } }), 403, 'FORBIDDEN');
    expect((await api('/api/user-settings/editor/tab_size', { method: 'PUT', token: noTheme.session.accessToken, body: { value: 2, dataType: 'number' } })).status).toBe(200);
  });

  it('validates values against the template’s JSON Schema, listing every failing path', async () => {
    const cat = category();
    await template({ category: cat, key: 'palette', dataType: 'json', defaultValue: { primary: '#000000' }, validationRules: paletteRules });
    await warmTemplates();
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const path = `/api/user-settings/${cat}/palette`;

    const bad = await api(path, { method: 'PUT', token, body: { value: { primary: 'red', size: 0, tags: ['a', 2], extra: true } } });
    expectError(bad, 400, 'VALIDATION_ERROR');
    expect(bad.body.error.details.map((d: any) => [d.field, d.code]).sort()).toEqual([
      ['body.value.extra', 'not_allowed'],
      ['body.value.primary', 'pattern'],
      ['body.value.size', 'minimum'],
      ['body.value.tags.1', 'type'],
    ]);
    expect(await dbStats(bad.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    const missing = await api(path, { method: 'PUT', token, body: { value: { size: 2 } } });
    expect(missing.body.error.details).toEqual([{ field: 'body.value', message: expect.any(String), code: 'required' }]);
    const wrongType = await api(path, { method: 'PUT', token, body: { value: 'red' } });
    expect(wrongType.body.error.details).toEqual([{ field: 'body.value', message: expect.any(String), code: 'invalid_type' }]);
    expectError(await api(path, { method: 'PUT', token, body: { value: { primary: '#abcdef' }, dataType: 'string' } }), 400, 'VALIDATION_ERROR');
    expect(await sql('select 1 from user_settings where user_id = $1 and category = $2', [user.id, cat])).toHaveLength(0);

    const good = await api(path, { method: 'PUT', token, body: { value: { primary: '#abcdef', size: 3, tags: ['x'] } } });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body.data).toMatchObject({ category: cat, key: 'palette', value: { primary: '#abcdef', size: 3, tags: ['x'] }, dataType: 'json', source: 'user', userConfigurable: true });
    expect(await dbStats(good.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    const [row] = await sql<{ value: string; data_type: string }>('select value, data_type from user_settings where user_id = $1 and category = $2', [user.id, cat]);
    expect(row).toEqual({ value: '{"primary":"#abcdef","size":3,"tags":["x"]}', data_type: 'json' });
    const audit = await sql<{ new_values: string }>("select new_values from audit_logs where entity_type = 'user_setting' and user_id = $1::uuid", [user.id]);
    expect(audit).toHaveLength(1);
  });

  it('lists by category with template defaults, reads one, and deletes back to the default', async () => {
    const cat = category();
    await template({ category: cat, key: 'tab_size', dataType: 'number', defaultValue: 4, validationRules: { type: 'integer', minimum: 1, maximum: 8 } });
    await template({ category: cat, key: 'wrap', dataType: 'boolean', defaultValue: false });
    const { session } = await signedInUser();
    const token = session.accessToken;

    const before = await api(`/api/user-settings?category=${cat}`, { token });
    expect(before.body.data.map((s: any) => [s.key, s.value, s.source])).toEqual([
      ['tab_size', 4, 'default'],
      ['wrap', false, 'default'],
    ]);
    expect(await dbStats(before.requestId)).toEqual({ roundTrips: 1, statements: 1 });

    await api(`/api/user-settings/${cat}/tab_size`, { method: 'PUT', token, body: { value: 2 } });
    await api(`/api/user-settings/${cat}/font`, { method: 'PUT', token, body: { value: 'Fira Code', dataType: 'string', description: 'Editor font' } });
    const after = await api(`/api/user-settings?category=${cat}`, { token });
    expect(after.body.data.map((s: any) => [s.key, s.value, s.source])).toEqual([
      ['font', 'Fira Code', 'user'],
      ['tab_size', 2, 'user'],
      ['wrap', false, 'default'],
    ]);
    const one = await api(`/api/user-settings/${cat}/tab_size`, { token });
    expect(one.body.data).toMatchObject({ value: 2, dataType: 'number', source: 'user' });
    expect(await dbStats(one.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect((await api(`/api/user-settings/${cat}/wrap`, { token })).body.data).toMatchObject({ value: false, source: 'default', updatedAt: null });
    expectError(await api(`/api/user-settings/${cat}/nothing`, { token }), 404, 'NOT_FOUND');

    const removed = await api(`/api/user-settings/${cat}/tab_size`, { method: 'DELETE', token });
    expect(removed.body.data).toEqual({ category: cat, key: 'tab_size', deleted: true });
    expect(await dbStats(removed.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    expect((await api(`/api/user-settings/${cat}/tab_size`, { token })).body.data).toMatchObject({ value: 4, source: 'default' });
    expectError(await api(`/api/user-settings/${cat}/tab_size`, { method: 'DELETE', token }), 404, 'NOT_FOUND');

    expectError(await api(`/api/user-settings/${cat}/other`, { method: 'PUT', token, body: { value: 1 } }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/user-settings/${cat}/other`, { method: 'PUT', token, body: { value: 'x', dataType: 'number' } }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/user-settings/Bad-Category/k`, { method: 'PUT', token, body: { value: 1, dataType: 'number' } }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/user-settings/${cat}/font`, { method: 'PUT', token, body: { value: 'a\u0000b', dataType: 'string' } }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/user-settings/${cat}/font`, { method: 'PUT', token, body: { value: { 'k\u0000': 1 }, dataType: 'json' } }), 400, 'VALIDATION_ERROR');
  });

  it('applies the built-in rules of the settings the grouped API keeps here', async () => {
    const { session } = await signedInUser();
    const token = session.accessToken;
    expectError(await api('/api/user-settings/theme/custom_color_primary', { method: 'PUT', token, body: { value: 'blue' } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/user-settings/layout/toolbar_position', { method: 'PUT', token, body: { value: 'left' } }), 400, 'VALIDATION_ERROR');
    expect((await api('/api/user-settings/theme/custom_color_primary', { method: 'PUT', token, body: { value: '#123456' } })).status).toBe(200);
    expect((await api('/api/settings/theme', { token })).body.data.customColors).toEqual({ primary: '#123456' });
  });

  it('never lets users change non-configurable or system settings', async () => {
    const cat = category();
    const { id, admin } = await template({ category: cat, key: 'locked', dataType: 'string', defaultValue: 'on', userConfigurable: false });
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const put = await api(`/api/user-settings/${cat}/locked`, { method: 'PUT', token, body: { value: 'off' } });
    expectError(put, 403, 'SETTING_NOT_CONFIGURABLE');
    // Nothing of the user's to remove.
    expectError(await api(`/api/user-settings/${cat}/locked`, { method: 'DELETE', token }), 404, 'NOT_FOUND');
    expect((await api(`/api/user-settings/${cat}/locked`, { token })).body.data).toMatchObject({ value: 'on', source: 'default', userConfigurable: false });

    // A value set while the template was configurable cannot be changed or removed once it is not.
    await api(`/api/setting-templates/${id}`, { method: 'PUT', token: admin, body: { userConfigurable: true } });
    expect((await api(`/api/user-settings/${cat}/locked`, { method: 'PUT', token, body: { value: 'mine' } })).status).toBe(200);
    await api(`/api/setting-templates/${id}`, { method: 'PUT', token: admin, body: { userConfigurable: false } });
    expectError(await api(`/api/user-settings/${cat}/locked`, { method: 'PUT', token, body: { value: 'again' } }), 403, 'SETTING_NOT_CONFIGURABLE');
    expectError(await api(`/api/user-settings/${cat}/locked`, { method: 'DELETE', token }), 403, 'SETTING_NOT_CONFIGURABLE');

    await sql("insert into user_settings (user_id, category, key, value, data_type, is_system) values ($1, $2, 'managed', 'x', 'string', true)", [user.id, cat]);
    expectError(await api(`/api/user-settings/${cat}/managed`, { method: 'PUT', token, body: { value: 'y', dataType: 'string' } }), 403, 'SETTING_NOT_CONFIGURABLE');
    expectError(await api(`/api/user-settings/${cat}/managed`, { method: 'DELETE', token }), 403, 'SETTING_NOT_CONFIGURABLE');
    const rows = await sql<{ key: string; value: string }>('select key, value from user_settings where user_id = $1 and category = $2 order by key', [user.id, cat]);
    expect(rows).toEqual([
      { key: 'locked', value: 'mine' },
      { key: 'managed', value: 'x' },
    ]);
  });

  it('catches a template changed behind a stale KV copy: the write is refused, then checked against the current rules', async () => {
    const cat = category();
    const { id } = await template({ category: cat, key: 'limit', dataType: 'number', defaultValue: 5, validationRules: { type: 'number', maximum: 10 } });
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    // Changed directly in the database: the KV copy still says maximum 10.
    await sql(`update setting_templates set validation_rules = '{"type":"number","maximum":6}', updated_at = now() where id = $1`, [id]);
    const res = await api(`/api/user-settings/${cat}/limit`, { method: 'PUT', token, body: { value: 8 } });
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(res.body.error.details).toEqual([{ field: 'body.value', message: expect.any(String), code: 'maximum' }]);
    expect(await sql('select 1 from user_settings where user_id = $1 and category = $2', [user.id, cat])).toHaveLength(0);
    expect((await api(`/api/user-settings/${cat}/limit`, { method: 'PUT', token, body: { value: 6 } })).status).toBe(200);

    await sql('update setting_templates set user_configurable = false, updated_at = now() where id = $1', [id]);
    expectError(await api(`/api/user-settings/${cat}/limit`, { method: 'PUT', token, body: { value: 2 } }), 403, 'SETTING_NOT_CONFIGURABLE');
  });

  it('validate against the database when KV fails', async () => {
    const cat = category();
    await template({ category: cat, key: 'level', dataType: 'number', defaultValue: 1, validationRules: { type: 'integer', maximum: 3 } });
    const { session } = await signedInUser();
    const outage = { 'X-Test-KV-Outage': '1' };
    const bad = await api(`/api/user-settings/${cat}/level`, { method: 'PUT', token: session.accessToken, body: { value: 9 }, headers: outage });
    expectError(bad, 400, 'VALIDATION_ERROR');
    expect(await dbStats(bad.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const good = await api(`/api/user-settings/${cat}/level`, { method: 'PUT', token: session.accessToken, body: { value: 2 }, headers: outage });
    expect(good.status).toBe(200);
    expect(await dbStats(good.requestId)).toEqual({ roundTrips: 2, statements: 4 });
  });

  it('keep every user’s settings their own', async () => {
    const cat = category();
    const a = await signedInUser();
    const b = await signedInUser();
    await api(`/api/user-settings/${cat}/note`, { method: 'PUT', token: a.session.accessToken, body: { value: 'a', dataType: 'string' } });
    expect((await api(`/api/user-settings?category=${cat}`, { token: b.session.accessToken })).body.data).toEqual([]);
    expectError(await api(`/api/user-settings/${cat}/note`, { token: b.session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/user-settings/${cat}/note`, { method: 'DELETE', token: b.session.accessToken }), 404, 'NOT_FOUND');
    await api(`/api/user-settings/${cat}/note`, { method: 'PUT', token: b.session.accessToken, body: { value: 'b', dataType: 'string' } });
    expect((await api(`/api/user-settings/${cat}/note`, { token: a.session.accessToken })).body.data.value).toBe('a');
    expect((await api(`/api/user-settings/${cat}/note`, { token: b.session.accessToken })).body.data.value).toBe('b');
    const rows = await sql<{ user_id: string; value: string }>('select user_id, value from user_settings where category = $1 order by value', [cat]);
    expect(rows).toEqual([
      { user_id: a.user.id, value: 'a' },
      { user_id: b.user.id, value: 'b' },
    ]);
  });
});

describe('the cap on settings without a template', () => {
  const put = (token: string, cat: string, key: string, value: unknown, dataType?: string) =>
    api(`/api/user-settings/${cat}/${key}`, { method: 'PUT', token, body: { value, ...(dataType ? { dataType } : {}) } });

  it('refuses the 201st with 409 SETTINGS_LIMIT_REACHED, also when requests race, and still updates existing ones', async () => {
    const cat = category();
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    // Built-in preference rows and system rows do not count.
    expect((await put(token, 'layout', 'toolbar_position', 'bottom')).status).toBe(200);
    await sql(`insert into user_settings (user_id, category, key, value, data_type, is_system) values ($1, $2, 'system_row', '1', 'number', true)`, [user.id, cat]);
    for (let i = 0; i < 190; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => put(token, cat, `k${i + j}`, i + j, 'number')));
      expect(batch.map((r) => r.status)).toEqual(Array(10).fill(200));
    }
    // 20 new settings at once for the last 10 places: exactly 10 are stored.
    const racing = await Promise.all(Array.from({ length: 20 }, (_, j) => put(token, cat, `r${j}`, j, 'number')));
    const refused = racing.filter((r) => r.status !== 200);
    expect(racing.filter((r) => r.status === 200)).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const res of refused) {
      expectError(res, 409, 'SETTINGS_LIMIT_REACHED');
      expect(res.body.error.details).toEqual({ limit: 200 });
    }
    const count = async () => Number((await sql<{ n: string }>(`select count(*) as n from user_settings where user_id = $1 and category = $2 and is_system is not true`, [user.id, cat]))[0]!.n);
    expect(await count()).toBe(200);

    const more = await put(token, cat, 'one_more', 1, 'number');
    expectError(more, 409, 'SETTINGS_LIMIT_REACHED');
    expect(await dbStats(more.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    const audited = await sql(`select 1 from audit_logs where user_id = $1 and entity_id = $2`, [user.id, `${user.id}:${cat}.one_more`]);
    expect(audited).toEqual([]);

    // At the cap: an existing setting can still be changed, a built-in preference and a templated one set.
    const update = await put(token, cat, 'k0', 42, 'number');
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expect(update.body.data.value).toBe(42);
    expect((await put(token, 'layout', 'sidebar_position', 'left')).status).toBe(200);
    const templated = category();
    await template({ category: templated, key: 'level', dataType: 'number', defaultValue: 1 });
    expect((await put(token, templated, 'level', 3)).status).toBe(200);
    expect(await count()).toBe(200);

    // Deleting one makes room for one.
    expect((await api(`/api/user-settings/${cat}/k1`, { method: 'DELETE', token })).status).toBe(200);
    expect((await put(token, cat, 'one_more', 1, 'number')).status).toBe(200);
    expectError(await put(token, cat, 'two_more', 2, 'number'), 409, 'SETTINGS_LIMIT_REACHED');
    expect(await count()).toBe(200);
  });
});

describe('a required templated setting', () => {
  it('cannot be deleted or set to nothing; other values are stored as usual', async () => {
    const cat = category();
    const { id, admin } = await template({ category: cat, key: 'must', dataType: 'string', defaultValue: 'base', required: true });
    const { session } = await signedInUser();
    const token = session.accessToken;
    expect((await api(`/api/user-settings/${cat}/must`, { method: 'PUT', token, body: { value: 'mine' } })).status).toBe(200);

    for (const value of ['', '   ']) {
      const empty = await api(`/api/user-settings/${cat}/must`, { method: 'PUT', token, body: { value } });
      expectError(empty, 400, 'VALIDATION_ERROR');
      expect(empty.body.error.details).toContainEqual({ field: 'body.value', message: expect.any(String), code: 'required' });
    }
    const removed = await api(`/api/user-settings/${cat}/must`, { method: 'DELETE', token });
    expectError(removed, 409, 'SETTING_REQUIRED');
    expect(removed.body.error.details).toEqual([{ field: `${cat}.must`, message: expect.any(String), code: 'required' }]);
    expect((await api(`/api/user-settings/${cat}/must`, { token })).body.data).toMatchObject({ value: 'mine', source: 'user' });
    expect(await sql("select 1 from audit_logs where entity_type = 'user_setting' and entity_id = $1 and action = 'delete'", [`${session.user.id}:${cat}.must`])).toHaveLength(0);

    // The flag is read as it is now: once the template is no longer required, the value can go.
    expect((await api(`/api/setting-templates/${id}`, { method: 'PUT', token: admin, body: { required: false } })).status).toBe(200);
    expect((await api(`/api/user-settings/${cat}/must`, { method: 'DELETE', token })).status).toBe(200);
    expect((await api(`/api/user-settings/${cat}/must`, { token })).body.data).toMatchObject({ value: 'base', source: 'default' });
  });

  it('applies to empty arrays and objects too', async () => {
    const cat = category();
    await template({ category: cat, key: 'list', dataType: 'array', defaultValue: ['a'], required: true });
    await template({ category: cat, key: 'map', dataType: 'json', defaultValue: { a: 1 }, required: true });
    const { session } = await signedInUser();
    for (const [key, value] of [['list', []], ['map', {}]] as const) {
      const res = await api(`/api/user-settings/${cat}/${key}`, { method: 'PUT', token: session.accessToken, body: { value } });
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.details).toContainEqual({ field: 'body.value', message: expect.any(String), code: 'required' });
    }
    expect((await api(`/api/user-settings/${cat}/list`, { method: 'PUT', token: session.accessToken, body: { value: ['b'] } })).status).toBe(200);
  });
});
