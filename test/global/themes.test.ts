import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, newPassword, randomIdentity, signedInAdmin, signedInUser, sql } from '../harness';

/*
 * Theme tests that change what every other test sees: the default theme (new accounts and every
 * fallback follow it) and the public list's KV entry (removed here to stand for its expiry). They
 * run in the serial global project, so no test reads the default or the cache while they change it.
 */

const themeName = () => `t-${crypto.randomUUID().slice(0, 12)}`;

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

describe('the public theme cache', () => {
  it('costs zero database round trips on a cache hit; a miss reads the database once and refills KV', async () => {
    await warmThemes();
    const hit = await api('/api/themes');
    expect(await dbStats(hit.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    const item = await api('/api/themes/dark');
    expect(item.status).toBe(200);
    expect(await dbStats(item.requestId)).toEqual({ roundTrips: 0, statements: 0 });

    await env.CACHE.delete('themes:v1');
    const miss = await api('/api/themes');
    expect(miss.body.data).toEqual(hit.body.data);
    expect(await dbStats(miss.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    await warmThemes();
    const refilled = await api('/api/themes');
    expect(await dbStats(refilled.requestId)).toEqual({ roundTrips: 0, statements: 0 });
  });

});

describe('the default theme', () => {
  it('keeps exactly one default theme: a new default replaces the old one atomically, the default cannot go away', async () => {
    const { session } = await signedInAdmin();
    const token = session.accessToken;
    const [before] = await defaults();
    const theme = await createTheme(token);
    const id = theme.body.data.id;
    const original = (await sql<{ id: string }>('select id from themes where name = $1', [before!.name]))[0]!.id;
    try {
      const promoted = await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { isDefault: true } });
      expect(promoted.status).toBe(200);
      expect(promoted.body.data).toMatchObject({ isDefault: true, isActive: true });
      expect((await defaults()).map((d) => d.name)).toEqual([theme.body.data.name]);
      const publicList = (await api('/api/themes')).body.data;
      expect(publicList.filter((t: any) => t.isDefault).map((t: any) => t.name)).toEqual([theme.body.data.name]);
      // New accounts start with the current default theme, whether they register or an admin creates them.
      const { session: registered } = await signedInUser();
      expect((await api('/api/users/preferences', { token: registered.accessToken })).body.data.theme).toBe(theme.body.data.name);
      const created = await api('/api/users', { method: 'POST', token, body: { ...randomIdentity(), password: newPassword(), firstName: 'New', lastName: 'Person', roles: ['user'], status: 'active' } });
      expect(created.status).toBe(201);
      expect(await sql('select theme from user_preferences where user_id = $1', [created.body.data.id])).toEqual([{ theme: theme.body.data.name }]);

      expectError(await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { isDefault: false } }), 409, 'DEFAULT_THEME_REQUIRED');
      expectError(await api(`/api/admin/themes/${id}`, { method: 'PUT', token, body: { isActive: false } }), 409, 'DEFAULT_THEME_REQUIRED');
      expectError(await api(`/api/admin/themes/${id}`, { method: 'DELETE', token }), 409, 'DEFAULT_THEME_REQUIRED');
      expect((await defaults()).map((d) => d.name)).toEqual([theme.body.data.name]);
    } finally {
      const restored = await api(`/api/admin/themes/${original}`, { method: 'PUT', token, body: { isDefault: true } });
      expect(restored.status).toBe(200);
    }
    expect((await defaults()).map((d) => d.name)).toEqual([before!.name]);

    const racers = await Promise.all([createTheme(token), createTheme(token)]);
    try {
      await Promise.all(racers.map((r) => api(`/api/admin/themes/${r.body.data.id}`, { method: 'PUT', token, body: { isDefault: true } })));
      expect(await defaults()).toHaveLength(1);
    } finally {
      await api(`/api/admin/themes/${original}`, { method: 'PUT', token, body: { isDefault: true } });
    }
    expect((await defaults()).map((d) => d.name)).toEqual([before!.name]);
    await expect(sql('update themes set is_default = true where id = $1', [id])).rejects.toThrow();
    for (const r of [theme, ...racers]) await api(`/api/admin/themes/${r.body.data.id}`, { method: 'DELETE', token });
  });

});
