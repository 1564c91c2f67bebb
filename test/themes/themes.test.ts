import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, signedInAdmin, signedInUser, sql } from '../harness';

const KV_OUTAGE = { 'X-Test-KV-Outage': '1' };
const themeName = () => `t-${crypto.randomUUID().slice(0, 12)}`;
const palette = { primary: '#123456', accent: '#abcdef', warn: '#ff0000', background: '#ffffff', surface: '#eeeeee' };

/** Makes sure the public list is in KV: one read fills it (`api` returns after the Worker's after-response work). */
async function warmThemes() {
  if ((await env.CACHE.get('themes:v1')) === null) await api('/api/themes');
  expect(await env.CACHE.get('themes:v1')).not.toBeNull();
}

async function createTheme(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/admin/themes', { method: 'POST', token, body: { name: themeName(), displayName: 'Test theme', sortOrder: 900, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

const defaults = () => sql<{ name: string }>('select name from themes where is_default');

describe('public themes', () => {
  it('lists the active themes without authentication, in display order, with an ETag and 304', async () => {
    const res = await api('/api/themes');
    expect(res.status).toBe(200);
    const names: string[] = res.body.data.map((t: any) => t.name);
    const seeded = ['default', 'dark', 'minimal', 'enterprise'];
    // Parallel files create themes of their own: the seeded ones keep their display order among them.
    expect(names.filter((n) => seeded.includes(n))).toEqual(seeded);
    const orders: number[] = res.body.data.map((t: any) => t.sortOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(res.body.data.every((t: any) => t.isActive)).toBe(true);
    expect(res.body.data.find((t: any) => t.name === 'dark')).toMatchObject({ displayName: 'Dark Mode', colorPalette: { primary: '#90caf9', background: '#121212' } });
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await api('/api/themes', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('falls back to the database when KV fails', async () => {
    const outage = await api('/api/themes', { headers: KV_OUTAGE });
    expect(outage.status).toBe(200);
    expect(outage.body.data.map((t: any) => t.name)).toContain('dark');
    expect(await dbStats(outage.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const item = await api('/api/themes/minimal', { headers: KV_OUTAGE });
    expect(item.body.data.name).toBe('minimal');
    expect(await dbStats(item.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('gets one active theme by name or id, with the row version as ETag; unknown and inactive ones are 404', async () => {
    const { session } = await signedInAdmin();
    const byName = await api('/api/themes/enterprise');
    expect(byName.status).toBe(200);
    const byId = await api(`/api/themes/${byName.body.data.id}`);
    expect(byId.body.data).toEqual(byName.body.data);
    const admin = await api(`/api/admin/themes/${byName.body.data.id}`, { token: session.accessToken });
    expect(byName.headers.get('etag')).toBe(admin.headers.get('etag'));
    expect((await api('/api/themes/enterprise', { headers: { 'If-None-Match': byName.headers.get('etag')! } })).status).toBe(304);
    expectError(await api('/api/themes/no-such-theme'), 404, 'NOT_FOUND');

    const hidden = await createTheme(session.accessToken, { isActive: false });
    expectError(await api(`/api/themes/${hidden.body.data.name}`), 404, 'NOT_FOUND');
    await api(`/api/admin/themes/${hidden.body.data.id}`, { method: 'DELETE', token: session.accessToken });
  });
});

describe('themes administration', () => {
  it('needs a token and the system:settings permission', async () => {
    const { session } = await signedInUser();
    const some = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['GET', '/api/admin/themes'],
      ['POST', '/api/admin/themes'],
      ['GET', `/api/admin/themes/${some}`],
      ['PUT', `/api/admin/themes/${some}`],
      ['DELETE', `/api/admin/themes/${some}`],
    ] as const) {
      const body = method === 'POST' || method === 'PUT' ? { displayName: 'x' } : undefined;
      expectError(await api(path, { method, body }), 401, 'UNAUTHORIZED');
      expectError(await api(path, { method, body, token: session.accessToken }), 403, 'FORBIDDEN');
    }
  });

  it('creates, updates and deletes in one round trip each; every change is on the next public read', async () => {
    const { user, session } = await signedInAdmin();
    const token = session.accessToken;
    await warmThemes();
    const made = await createTheme(token, { colorPalette: palette, cssVariables: { '--radius': '4px' }, description: 'Blue' });
    expect(await dbStats(made.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    const { id, name } = made.body.data;
    expect(made.body.data).toMatchObject({ name, isActive: true, isDefault: false, colorPalette: palette, cssVariables: { '--radius': '4px' } });
    const listed = await api('/api/themes');
    expect(listed.body.data.map((t: any) => t.name)).toContain(name);
    expect(await dbStats(listed.requestId)).toEqual({ roundTrips: 0, statements: 0 });

    const updated = await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { displayName: 'Renamed', sortOrder: 901 } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ displayName: 'Renamed', sortOrder: 901 });
    expect(await dbStats(updated.requestId)).toEqual({ roundTrips: 1, statements: 6 });
    expect((await api(`/api/themes/${name}`)).body.data.displayName).toBe('Renamed');

    const all = await api('/api/admin/themes', { token });
    expect(all.body.data.find((t: any) => t.id === id).displayName).toBe('Renamed');
    expect(await dbStats(all.requestId)).toEqual({ roundTrips: 1, statements: 1 });

    const deleted = await api(`/api/admin/themes/${id}`, { method: 'DELETE', token });
    expect(deleted.body.data).toEqual({ id, deleted: true });
    expect(await dbStats(deleted.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    expectError(await api(`/api/themes/${name}`), 404, 'NOT_FOUND');
    expectError(await api(`/api/admin/themes/${id}`, { token }), 404, 'NOT_FOUND');

    const audit = await sql<{ action: string }>("select action from audit_logs where entity_type = 'theme' and entity_id = $1 and user_id = $2", [id, user.id]);
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update']);
  });

  it('rejects invalid themes and duplicate names', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const bad = [
      { name: 'Has Spaces', displayName: 'x' },
      { name: themeName(), displayName: '' },
      { name: themeName(), displayName: 'x', colorPalette: { ...palette, primary: 'blue' } },
      { name: themeName(), displayName: 'x', cssVariables: { color: 'red' } },
      { name: themeName(), displayName: 'x', cssVariables: { '--x': 'red; } body { display: none' } },
      { name: themeName(), displayName: 'x', previewImageUrl: 'javascript:alert(1)' },
      { name: themeName(), displayName: 'x', isDefault: true, isActive: false },
      { name: themeName(), displayName: 'x', isStaff: true },
    ];
    for (const body of bad) expectError(await api('/api/admin/themes', { method: 'POST', token, body }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/admin/themes', { method: 'POST', token, body: { name: 'dark', displayName: 'Another dark' } }), 409, 'CONFLICT');
  });

  it('moves users along: a rename carries their preference, a deactivation or deletion moves them to the default', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const { session: member } = await signedInUser();
    const theme = await createTheme(token);
    const id = theme.body.data.id;
    const chosen = await api('/api/users/preferences', { method: 'PUT', token: member.accessToken, body: { theme: theme.body.data.name } });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);

    const renamed = themeName();
    await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { name: renamed } });
    expect((await api('/api/users/preferences', { token: member.accessToken })).body.data.theme).toBe(renamed);

    await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { isActive: false } });
    const [current] = await defaults();
    expect((await api('/api/users/preferences', { token: member.accessToken })).body.data.theme).toBe(current!.name);

    await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { isActive: true } });
    await api('/api/users/preferences', { method: 'PUT', token: member.accessToken, body: { theme: renamed } });
    await api(`/api/admin/themes/${id}`, { method: 'DELETE', token });
    expect((await api('/api/users/preferences', { token: member.accessToken })).body.data.theme).toBe(current!.name);
  });

  it('honours If-Match: a stale ETag gets 412 and changes nothing', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const theme = await createTheme(token);
    const id = theme.body.data.id;
    const etag = theme.headers.get('etag')!;
    const got = await api(`/api/admin/themes/${id}`, { token });
    expect(got.headers.get('etag')).toBe(etag);
    const first = await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { displayName: 'First' }, headers: { 'If-Match': etag } });
    expect(first.status).toBe(200);
    const stale = await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { displayName: 'Second' }, headers: { 'If-Match': etag } });
    expectError(stale, 412, 'PRECONDITION_FAILED');
    expect(stale.body.error.details.currentEtag).toBe(first.headers.get('etag'));
    expectError(await api(`/api/admin/themes/${id}`, { method: 'DELETE', token, headers: { 'If-Match': etag } }), 412, 'PRECONDITION_FAILED');
    const [row] = await sql<{ display_name: string }>('select display_name from themes where id = $1', [id]);
    expect(row!.display_name).toBe('First');
    expect(await sql("select 1 from audit_logs where entity_id = $1 and action = 'update'", [id])).toHaveLength(1);
    expect((await api(`/api/admin/themes/${id}`, { method: 'DELETE', token, headers: { 'If-Match': first.headers.get('etag')! } })).status).toBe(200);
  });
});
