import { describe, expect, it } from 'vitest';
import { api, expectError, signedInAdmin, signedInUser, sql } from '../harness';

/*
 * Setting locks: a template with `userConfigurable: false` applies to every user, so these tests run
 * in the serial global project (no other test sees a field locked under it). Locks are set and
 * removed through the API (the template cache follows).
 */

/** Locks a setting for every user (a template with userConfigurable false) until the returned function runs. */
async function lockSetting(category: string, key: string, defaultValue: boolean) {
  const admin = (await signedInAdmin()).session.accessToken;
  const created = await api('/api/setting-templates', { method: 'POST', token: admin, body: { category, key, dataType: 'boolean', defaultValue, userConfigurable: false } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return async () => {
    const removed = await api(`/api/setting-templates/${created.body.data.id}`, { method: 'DELETE', token: admin });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
  };
}

const stored = (userId: string) =>
  sql<{ category: string; key: string; value: string; data_type: string }>(
    'select category, key, value, data_type from user_settings where user_id = $1 order by category, key',
    [userId],
  );

describe('PUT /api/settings with a locked field', () => {
  it('refuses non-configurable fields, and changes nothing', async () => {
    const { user, session } = await signedInUser();
    const unlock = await lockSetting('performance', 'compression', true);
    try {
      const res = await api('/api/settings', { method: 'PUT', token: session.accessToken, body: { performance: { compression: false, caching: false }, theme: { darkMode: true } } });
      expectError(res, 403, 'SETTING_NOT_CONFIGURABLE');
      expect(res.body.error.details.map((d: any) => d.field)).toEqual(['performance.compression']);
      expect(await stored(user.id)).toEqual([]);
      expect((await api('/api/settings', { token: session.accessToken })).body.data.performance).toMatchObject({ compression: true, caching: true });
    } finally {
      await unlock();
    }
  });
});

describe('POST /api/settings/reset with a locked field', () => {
  it('leaves non-configurable fields as they are', async () => {
    const { session } = await signedInUser();
    const token = session.accessToken;
    await api('/api/settings', { method: 'PUT', token, body: { accessibility: { reducedMotion: true, highContrast: true } } });
    const unlock = await lockSetting('accessibility', 'reduced_motion', false);
    try {
      const res = await api('/api/settings/reset', { method: 'POST', token, body: { categories: ['accessibility'] } });
      expect(res.body.data.accessibility).toMatchObject({ reducedMotion: true, highContrast: false });
    } finally {
      await unlock();
    }
  });
});

describe('PUT /api/users/preferences with a locked field', () => {
  it('refuses a field an admin made non-configurable, and changes nothing', async () => {
    const { user, session } = await signedInUser();
    const unlock = await lockSetting('accessibility', 'screen_reader', false);
    try {
      const res = await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { accessibility: { screenReader: true }, scheme: 'dark' } });
      expectError(res, 403, 'SETTING_NOT_CONFIGURABLE');
      expect(res.body.error.details).toEqual([{ field: 'accessibility.screen_reader', message: expect.any(String), code: 'not_configurable' }]);
      const prefs = await api('/api/users/preferences', { token: session.accessToken });
      expect(prefs.body.data).toMatchObject({ scheme: 'light', accessibility: { screenReader: false } });
      expect((await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { scheme: 'dark' } })).status).toBe(200);
    } finally {
      await unlock();
    }
    expect(await sql("select 1 from audit_logs where entity_type = 'user_preferences' and entity_id = $1", [user.id])).toHaveLength(1);
  });

});
