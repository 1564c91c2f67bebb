import { afterEach, describe, expect, it } from 'vitest';
import { api, env, expectError, newPassword, randomIdentity, sql } from '../harness';

const setRegistration = async (enabled: boolean) => {
  await sql("update system_settings set value = $1 where category = 'features' and key = 'registration_enabled'", [String(enabled)]);
  await env.CACHE.delete('system-settings:v1');
};

describe('features.registration_enabled', () => {
  afterEach(() => setRegistration(true));

  it('closes registration when false, and reopens it when true', async () => {
    await setRegistration(false);
    const body = { ...randomIdentity(), password: newPassword(), firstName: 'Closed', lastName: 'Door' };
    expectError(await api('/api/auth/register', { method: 'POST', body }), 403, 'REGISTRATION_DISABLED');
    expect(await sql('select 1 from users where email = $1', [body.email])).toHaveLength(0);
    await setRegistration(true);
    expect((await api('/api/auth/register', { method: 'POST', body })).status).toBe(201);
  });
});
