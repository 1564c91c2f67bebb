import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser, sql } from '../harness';
import { signedInWith } from './helpers';

const stored = (userId: string) =>
  sql<{ category: string; key: string; value: string; data_type: string }>(
    'select category, key, value, data_type from user_settings where user_id = $1 order by category, key',
    [userId],
  );

describe('GET /api/settings', () => {
  it('returns every group with its defaults, the active themes, in one round trip', async () => {
    const { session } = await signedInUser();
    const res = await api('/api/settings', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const data = res.body.data;
    expect(data.theme).toMatchObject({ scheme: 'light', customColors: {}, darkMode: false, autoTheme: false });
    expect(data.theme.availableThemes.map((t: any) => t.name)).toEqual(expect.arrayContaining(['default', 'dark', 'minimal', 'enterprise']));
    expect(data.theme.availableThemes[0]).toEqual({ name: 'default', displayName: 'Default', preview: null, description: expect.any(String) });
    expect(data.layout).toEqual({
      type: 'classic',
      navigation: { type: 'default', position: 'left', collapsed: false, folded: false },
      toolbar: { position: 'top', style: 'fixed' },
      footer: { position: 'bottom', style: 'static' },
      sidebar: { hidden: false, position: 'right' },
    });
    expect(data.localization).toEqual({ language: 'en', dateFormat: 'MM/DD/YYYY', timeFormat: '12h', timezone: 'UTC', currency: 'USD', numberFormat: 'en-US' });
    expect(data.notifications).toEqual({ email: true, push: false, desktop: true, sound: true, types: { security: true, updates: true, marketing: false, reminders: true } });
    expect(data.privacy).toEqual({ profileVisibility: 'public', activityTracking: true, analyticsOptOut: false, dataSharing: false });
    expect(data.accessibility).toEqual({ highContrast: false, fontSize: 'medium', reducedMotion: false, screenReader: false });
    expect(data.performance).toEqual({ animations: true, lazyLoading: true, caching: true, compression: true });

    for (const group of ['theme', 'layout', 'notifications']) {
      const one = await api(`/api/settings/${group}`, { token: session.accessToken });
      expect(one.body.data).toEqual(data[group]);
      expect(await dbStats(one.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    }
  });

  it('needs a token and settings:view / settings:update / settings:theme / settings:notifications', async () => {
    for (const [method, path] of [
      ['GET', '/api/settings'],
      ['PUT', '/api/settings'],
      ['GET', '/api/settings/theme'],
      ['PUT', '/api/settings/theme'],
      ['GET', '/api/settings/layout'],
      ['PUT', '/api/settings/layout'],
      ['GET', '/api/settings/notifications'],
      ['PUT', '/api/settings/notifications'],
      ['POST', '/api/settings/reset'],
    ] as const) {
      expectError(await api(path, { method, ...(method === 'GET' ? {} : { body: {} }) }), 401, 'UNAUTHORIZED');
    }
    const viewer = await signedInWith(['settings:view']);
    expect((await api('/api/settings', { token: viewer.session.accessToken })).status).toBe(200);
    expectError(await api('/api/settings', { method: 'PUT', token: viewer.session.accessToken, body: { privacy: { dataSharing: true } } }), 403, 'FORBIDDEN');
    expectError(await api('/api/settings/reset', { method: 'POST', token: viewer.session.accessToken, body: {} }), 403, 'FORBIDDEN');

    const editor = await signedInWith(['settings:view', 'settings:update']);
    const token = editor.session.accessToken;
    expect((await api('/api/settings', { method: 'PUT', token, body: { privacy: { dataSharing: true } } })).status).toBe(200);
    expect((await api('/api/settings/layout', { method: 'PUT', token, body: { type: 'compact' } })).status).toBe(200);
    expectError(await api('/api/settings', { method: 'PUT', token, body: { theme: { scheme: 'dark' } } }), 403, 'FORBIDDEN');
    expectError(await api('/api/settings', { method: 'PUT', token, body: { notifications: { push: true } } }), 403, 'FORBIDDEN');
    expectError(await api('/api/settings/theme', { method: 'PUT', token, body: { scheme: 'dark' } }), 403, 'FORBIDDEN');
    expectError(await api('/api/settings/notifications', { method: 'PUT', token, body: { push: true } }), 403, 'FORBIDDEN');
    expectError(await api('/api/settings/reset', { method: 'POST', token, body: { categories: ['theme'] } }), 403, 'FORBIDDEN');
    expect((await api('/api/settings/reset', { method: 'POST', token, body: { categories: ['privacy'] } })).status).toBe(200);
    expect((await api('/api/settings', { token })).body.data.theme.scheme).toBe('light');
  });
});

describe('PUT /api/settings/{group}', () => {
  it('theme: stores columns in user_preferences and the rest in user_settings, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const res = await api('/api/settings/theme', {
      method: 'PUT',
      token,
      body: { name: 'enterprise', scheme: 'auto', customColors: { primary: '#112233', warn: '#AA0000' }, darkMode: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    expect(res.body.data).toMatchObject({ name: 'enterprise', scheme: 'auto', customColors: { primary: '#112233', warn: '#AA0000' }, darkMode: true, autoTheme: false });
    expect(res.body.data.availableThemes.length).toBeGreaterThanOrEqual(4);
    expect(await stored(user.id)).toEqual([
      { category: 'theme', key: 'custom_color_primary', value: '#112233', data_type: 'string' },
      { category: 'theme', key: 'custom_color_warn', value: '#AA0000', data_type: 'string' },
      { category: 'theme', key: 'dark_mode', value: 'true', data_type: 'boolean' },
    ]);
    const [prefs] = await sql<{ theme: string; scheme: string }>('select theme, scheme from user_preferences where user_id = $1', [user.id]);
    expect(prefs).toEqual({ theme: 'enterprise', scheme: 'auto' });

    const removed = await api('/api/settings/theme', { method: 'PUT', token, body: { customColors: { warn: null }, darkMode: false } });
    expect(removed.body.data.customColors).toEqual({ primary: '#112233' });
    expect((await stored(user.id)).map((s) => `${s.key}=${s.value}`)).toEqual(['custom_color_primary=#112233', 'dark_mode=false']);
    expect((await api('/api/users/preferences', { token })).body.data).toMatchObject({ theme: 'enterprise', scheme: 'auto' });
  });

  it('layout and notifications: nested objects change field by field', async () => {
    const { session } = await signedInUser();
    const token = session.accessToken;
    const layout = await api('/api/settings/layout', {
      method: 'PUT',
      token,
      body: { navigation: { collapsed: true, folded: true }, toolbar: { position: 'bottom' }, sidebar: { hidden: true } },
    });
    expect(layout.body.data).toEqual({
      type: 'classic',
      navigation: { type: 'default', position: 'left', collapsed: true, folded: true },
      toolbar: { position: 'bottom', style: 'fixed' },
      footer: { position: 'bottom', style: 'static' },
      sidebar: { hidden: true, position: 'right' },
    });
    const again = await api('/api/settings/layout', { method: 'PUT', token, body: { toolbar: { style: 'sticky' }, footer: { position: 'hidden' } } });
    expect(again.body.data).toMatchObject({ navigation: { collapsed: true, folded: true }, toolbar: { position: 'bottom', style: 'sticky' }, footer: { position: 'hidden', style: 'static' } });
    expect((await api('/api/users/preferences', { token })).body.data.navigation.collapsed).toBe(true);

    const notifications = await api('/api/settings/notifications', { method: 'PUT', token, body: { push: true, types: { marketing: true } } });
    expect(notifications.body.data).toEqual({ email: true, push: true, desktop: true, sound: true, types: { security: true, updates: true, marketing: true, reminders: true } });
  });

  it('PUT /api/settings changes several groups at once, localization included', async () => {
    const { session } = await signedInUser();
    const res = await api('/api/settings', {
      method: 'PUT',
      token: session.accessToken,
      body: {
        localization: { language: 'fr', timezone: 'Europe/Paris', currency: 'EUR', numberFormat: 'fr-FR', dateFormat: 'DD/MM/YYYY', timeFormat: '24h' },
        privacy: { profileVisibility: 'private', analyticsOptOut: true },
        accessibility: { highContrast: true },
        performance: { animations: false },
        theme: { autoTheme: true },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.localization).toEqual({ language: 'fr', timezone: 'Europe/Paris', currency: 'EUR', numberFormat: 'fr-FR', dateFormat: 'DD/MM/YYYY', timeFormat: '24h' });
    expect(res.body.data.privacy).toMatchObject({ profileVisibility: 'private', analyticsOptOut: true, dataSharing: false });
    expect(res.body.data.accessibility.highContrast).toBe(true);
    expect(res.body.data.performance.animations).toBe(false);
    expect(res.body.data.theme.autoTheme).toBe(true);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
  });

  it('rejects invalid values and unknown fields, and an inactive or unknown theme name', async () => {
    const { session } = await signedInUser();
    const token = session.accessToken;
    for (const [path, body] of [
      ['/api/settings/theme', { customColors: { primary: 'blue' } }],
      ['/api/settings/theme', { customColors: { background: '#ffffff' } }],
      ['/api/settings/theme', { availableThemes: [] }],
      ['/api/settings/layout', { toolbar: { position: 'left' } }],
      ['/api/settings/layout', { footer: { style: 'floating' } }],
      ['/api/settings/notifications', { types: { newsletter: true } }],
      ['/api/settings', { localization: { currency: 'euro' } }],
      ['/api/settings', { localization: { numberFormat: 'not a locale' } }],
      ['/api/settings', { colours: {} }],
    ] as const) {
      expectError(await api(path, { method: 'PUT', token, body }), 400, 'VALIDATION_ERROR');
    }
    for (const path of ['/api/settings', '/api/settings/theme', '/api/settings/layout', '/api/settings/notifications']) {
      expectError(await api(path, { method: 'PUT', token }), 400, 'VALIDATION_ERROR');
      expectError(await api(path, { method: 'PUT', token, body: {} }), 400, 'VALIDATION_ERROR');
    }
    const invalid = await api('/api/settings/theme', { method: 'PUT', token, body: { name: 'no-such-theme', darkMode: true } });
    expectError(invalid, 400, 'INVALID_THEME');
    expect((await api('/api/settings/theme', { token })).body.data.darkMode).toBe(false);
  });

});

describe('POST /api/settings/reset', () => {
  it('resets the named groups only, or everything, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    await api('/api/settings', {
      method: 'PUT',
      token,
      body: { theme: { name: 'dark', darkMode: true }, layout: { type: 'compact', toolbar: { position: 'hidden' } }, privacy: { dataSharing: true } },
    });
    const layoutOnly = await api('/api/settings/reset', { method: 'POST', token, body: { categories: ['layout'] } });
    expect(layoutOnly.status).toBe(200);
    expect(await dbStats(layoutOnly.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect(layoutOnly.body.data.layout).toMatchObject({ type: 'classic', toolbar: { position: 'top', style: 'fixed' } });
    expect(layoutOnly.body.data.theme).toMatchObject({ name: 'dark', darkMode: true });
    expect(layoutOnly.body.data.privacy.dataSharing).toBe(true);

    const all = await api('/api/settings/reset', { method: 'POST', token, body: {} });
    const [current] = await sql<{ name: string }>('select name from themes where is_default');
    expect(all.body.data.theme).toMatchObject({ name: current!.name, darkMode: false });
    expect(all.body.data.privacy.dataSharing).toBe(false);
    expect(await stored(user.id)).toEqual([]);
    const withoutBody = await api('/api/settings/reset', { method: 'POST', token });
    expect(withoutBody.status).toBe(200);
    expectError(await api('/api/settings/reset', { method: 'POST', token, body: { categories: ['colours'] } }), 400, 'VALIDATION_ERROR');
    const audit = await sql("select 1 from audit_logs where entity_type = 'user_preferences' and entity_id = $1 and description like 'Reset%'", [user.id]);
    expect(audit).toHaveLength(3);
  });

});
