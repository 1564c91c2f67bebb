import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { json, signedInWith } from './helpers';

const currentDefaultTheme = async () => (await sql<{ name: string }>('select name from themes where is_default'))[0]!.name;

describe('GET /api/users/preferences', () => {
  it('creates the defaults on first read, in one round trip (one statement) either way', async () => {
    const { user, session } = await signedInUser();
    // Registration creates the row; users from elsewhere (imports, older data) may have none.
    await sql('delete from user_preferences where user_id = $1', [user.id]);
    const first = await api('/api/users/preferences', { token: session.accessToken });
    expect(first.status).toBe(200);
    expect(await dbStats(first.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect(first.body.data).toEqual({
      theme: await currentDefaultTheme(),
      scheme: 'light',
      layout: 'classic',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'MM/DD/YYYY',
      timeFormat: '12h',
      navigation: { collapsed: false, type: 'default', position: 'left' },
      notifications: { email: true, push: false, desktop: true, sound: true, types: { security: true, updates: true, marketing: false, reminders: true } },
      privacy: { profileVisibility: 'public', activityTracking: true, analyticsOptOut: false, dataSharing: false },
      accessibility: { highContrast: false, fontSize: 'medium', reducedMotion: false, screenReader: false },
      performance: { animations: true, lazyLoading: true, caching: true, compression: true },
      updatedAt: expect.any(String),
    });
    expect(await sql('select 1 from user_preferences where user_id = $1', [user.id])).toHaveLength(1);
    const second = await api('/api/users/preferences', { token: session.accessToken });
    expect(second.body.data).toEqual(first.body.data);
    expect(await dbStats(second.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('creates exactly one row when first reads race', async () => {
    const { user, session } = await signedInUser();
    await sql('delete from user_preferences where user_id = $1', [user.id]);
    const answers = await Promise.all([1, 2, 3].map(() => api('/api/users/preferences', { token: session.accessToken })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await sql('select 1 from user_preferences where user_id = $1', [user.id])).toHaveLength(1);
  });

  it('needs a token and profile:preferences', async () => {
    expectError(await api('/api/users/preferences'), 401, 'UNAUTHORIZED');
    expectError(await api('/api/users/preferences', { method: 'PUT', body: { scheme: 'dark' } }), 401, 'UNAUTHORIZED');
    const { session } = await signedInWith(['profile:read']);
    expectError(await api('/api/users/preferences', { token: session.accessToken }), 403, 'FORBIDDEN');
    expectError(await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { scheme: 'dark' } }), 403, 'FORBIDDEN');
  });
});

describe('PUT /api/users/preferences', () => {
  it('changes only the fields sent, nested groups field by field, in one round trip with the audit row', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const res = await api('/api/users/preferences', {
      method: 'PUT',
      token,
      body: { theme: 'dark', scheme: 'dark', timezone: 'Europe/Paris', notifications: { email: false, types: { marketing: true } }, accessibility: { fontSize: 'large' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    expect(res.body.data).toMatchObject({
      theme: 'dark',
      scheme: 'dark',
      layout: 'classic',
      timezone: 'Europe/Paris',
      notifications: { email: false, push: false, desktop: true, types: { marketing: true, security: true } },
      accessibility: { fontSize: 'large', highContrast: false },
    });
    const again = await api('/api/users/preferences', { method: 'PUT', token, body: { notifications: { types: { security: false } } } });
    expect(again.body.data.notifications).toEqual({ email: false, push: false, desktop: true, sound: true, types: { security: false, updates: true, marketing: true, reminders: true } });

    const [row] = await sql<Record<string, string>>('select theme, scheme, timezone, notifications_email, font_size from user_preferences where user_id = $1', [user.id]);
    expect(row).toEqual({ theme: 'dark', scheme: 'dark', timezone: 'Europe/Paris', notifications_email: 'f', font_size: 'large' });
    const audit = await sql<{ old_values: string; new_values: string }>(
      "select old_values, new_values from audit_logs where entity_type = 'user_preferences' and entity_id = $1 order by created_at",
      [user.id],
    );
    expect(audit).toHaveLength(2);
    expect(json(audit[0]!.old_values)).toEqual({
      'theme.name': 'default',
      'theme.scheme': 'light',
      'localization.timezone': 'UTC',
      'notifications.email': true,
      'notifications.marketing': false,
      'accessibility.font_size': 'medium',
    });
    expect(json(audit[0]!.new_values)).toEqual({
      'theme.name': 'dark',
      'theme.scheme': 'dark',
      'localization.timezone': 'Europe/Paris',
      'notifications.email': false,
      'notifications.marketing': true,
      'accessibility.font_size': 'large',
    });
    expect(json(audit[1]!.old_values)).toEqual({ 'notifications.security': true });
  });

  it('accepts any active theme, including ones the original enum did not allow', async () => {
    const { session } = await signedInUser();
    for (const theme of ['minimal', 'enterprise', 'default']) {
      const res = await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { theme } });
      expect(res.body.data.theme).toBe(theme);
    }
  });

  it('accepts the four seed values (default, dark, light, auto) through both APIs, with no theme row named light or auto', async () => {
    expect(await sql("select name from themes where name in ('light', 'auto')")).toEqual([]);
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    for (const theme of ['light', 'auto', 'dark', 'default']) {
      const res = await api('/api/users/preferences', { method: 'PUT', token, body: { theme } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data.theme).toBe(theme);
      expect((await sql<{ theme: string }>('select theme from user_preferences where user_id = $1', [user.id]))[0]!.theme).toBe(theme);
    }
    const viaSettings = await api('/api/settings/theme', { method: 'PUT', token, body: { name: 'auto', scheme: 'auto' } });
    expect(viaSettings.status, JSON.stringify(viaSettings.body)).toBe(200);
    expect(viaSettings.body.data).toMatchObject({ name: 'auto', scheme: 'auto' });
    expect((await api('/api/users/preferences', { token })).body.data.theme).toBe('auto');
  });

  it('says in the OpenAPI document what each theme value means', async () => {
    const doc = (await api('/api/openapi.json')).body as any;
    for (const schema of [doc.components.schemas.UserPreferences.properties.theme, doc.components.schemas.ThemeSettings.properties.name]) {
      for (const value of ['`default`', '`dark`', '`light`', '`auto`', 'prefers-color-scheme', 'active theme']) expect(schema.description).toContain(value);
    }
  });

  it('keeps `auto` out of theme names, so the value always means the client’s colour scheme', async () => {
    const { session: admin } = await signedInAdmin();
    expectError(await api('/api/admin/themes', { method: 'POST', token: admin.accessToken, body: { name: 'auto', displayName: 'Auto' } }), 400, 'VALIDATION_ERROR');
    const [dark] = await sql<{ id: string }>("select id from themes where name = 'dark'");
    expectError(await api(`/api/admin/themes/${dark!.id}`, { method: 'PUT', token: admin.accessToken, body: { name: 'auto' } }), 400, 'VALIDATION_ERROR');
  });

  it('refuses a theme that does not exist or is inactive with INVALID_THEME, and changes nothing else', async () => {
    const { user, session } = await signedInUser();
    const { session: admin } = await signedInAdmin();
    const token = session.accessToken;
    await api('/api/users/preferences', { method: 'PUT', token, body: { scheme: 'dark' } });
    const unknown = await api('/api/users/preferences', { method: 'PUT', token, body: { theme: 'no-such-theme', scheme: 'light', layout: 'compact' } });
    expectError(unknown, 400, 'INVALID_THEME');
    expect(unknown.body.error.details[0].field).toBe('body.theme');
    expect(await dbStats(unknown.requestId)).toEqual({ roundTrips: 1, statements: 5 });

    const name = `t-${crypto.randomUUID().slice(0, 10)}`;
    const created = await api('/api/admin/themes', { method: 'POST', token: admin.accessToken, body: { name, displayName: 'Inactive', isActive: false } });
    expect(created.status).toBe(201);
    expectError(await api('/api/users/preferences', { method: 'PUT', token, body: { theme: name } }), 400, 'INVALID_THEME');

    const [row] = await sql<{ theme: string; scheme: string; layout: string }>('select theme, scheme, layout from user_preferences where user_id = $1', [user.id]);
    expect(row).toMatchObject({ scheme: 'dark', layout: 'classic' });
    expect(row!.theme).not.toBe(name);
    expect(await sql("select 1 from audit_logs where entity_type = 'user_preferences' and entity_id = $1", [user.id])).toHaveLength(1);
    await api(`/api/admin/themes/${created.body.data.id}`, { method: 'DELETE', token: admin.accessToken });
  });

  it('rejects unknown fields and invalid values', async () => {
    const { session } = await signedInUser();
    for (const body of [
      { scheme: 'purple' },
      { layout: 'grid' },
      { language: 'english' },
      { timezone: 'Nowhere/Land' },
      { dateFormat: 'DD.MM.YYYY' },
      { notifications: { email: 'yes' } },
      { notifications: { types: { spam: true } } },
      { navigation: { position: 'bottom' } },
      { privacy: { profileVisibility: 'everyone' } },
      { userId: crypto.randomUUID() },
      { theme: '' },
      { theme: 'Dark\u0000' },
      {},
    ]) {
      expectError(await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body }), 400, 'VALIDATION_ERROR');
    }
  });

  it('never changes another user’s preferences', async () => {
    const a = await signedInUser();
    const b = await signedInUser();
    await api('/api/users/preferences', { method: 'PUT', token: a.session.accessToken, body: { scheme: 'dark' } });
    await api('/api/users/preferences', { method: 'PUT', token: b.session.accessToken, body: { scheme: 'auto', userId: a.user.id } });
    await api('/api/users/preferences', { method: 'PUT', token: b.session.accessToken, body: { scheme: 'auto' } });
    expect((await api('/api/users/preferences', { token: a.session.accessToken })).body.data.scheme).toBe('dark');
    expect((await api('/api/users/preferences', { token: b.session.accessToken })).body.data.scheme).toBe('auto');
  });
});
