import { describe, expect, it } from 'vitest';
import { api, expectError, seededAdmin, signedInAdmin, signedInUser, sql } from '../harness';
import { signedInWith } from './helpers';

const key = () => `k_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
const managed = (userId: string, k: string) => `/api/users/${userId}/settings/managed/${k}`;

describe('system-managed user settings', () => {
  it('an administrator sets a user’s setting for them; the user reads it but cannot change or delete it until it is released', async () => {
    const { session: admin } = await signedInAdmin();
    const { user, session } = await signedInUser();
    const k = key();
    expect((await api(`/api/user-settings/managed/${k}`, { method: 'PUT', token: session.accessToken, body: { value: 'mine', dataType: 'string' } })).status).toBe(200);

    const set = await api(managed(user.id, k), { method: 'PUT', token: admin.accessToken, body: { value: 'policy', dataType: 'string' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.data).toMatchObject({ category: 'managed', key: k, value: 'policy', isSystem: true, userConfigurable: false });
    const [row] = await sql<{ value: string; is_system: string }>('select value, is_system from user_settings where user_id = $1 and key = $2', [user.id, k]);
    expect(row).toEqual({ value: 'policy', is_system: 't' });
    const audit = await sql<{ old_values: string; new_values: string }>(
      "select old_values::text, new_values::text from audit_logs where entity_id = $1 and description like '%system-managed%'",
      [`${user.id}:managed.${k}`],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.old_values)).toMatchObject({ value: 'mine' });

    const seen = await api(`/api/user-settings/managed/${k}`, { token: session.accessToken });
    expect(seen.body.data).toMatchObject({ value: 'policy', isSystem: true, userConfigurable: false });
    expectError(await api(`/api/user-settings/managed/${k}`, { method: 'PUT', token: session.accessToken, body: { value: 'back', dataType: 'string' } }), 403, 'SETTING_NOT_CONFIGURABLE');
    expectError(await api(`/api/user-settings/managed/${k}`, { method: 'DELETE', token: session.accessToken }), 403, 'SETTING_NOT_CONFIGURABLE');

    const released = await api(managed(user.id, k), { method: 'DELETE', token: admin.accessToken });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.data).toEqual({ category: 'managed', key: k, deleted: true });
    expect(await sql('select 1 from user_settings where user_id = $1 and key = $2', [user.id, k])).toHaveLength(0);
    expect((await api(`/api/user-settings/managed/${k}`, { method: 'PUT', token: session.accessToken, body: { value: 'mine again', dataType: 'string' } })).status).toBe(200);
    expectError(await api(managed(user.id, k), { method: 'DELETE', token: admin.accessToken }), 404, 'NOT_FOUND');
  });

  it('checks the value, needs users:update, and never reaches a user who holds more than the caller', async () => {
    const { session: admin } = await signedInAdmin();
    const { user } = await signedInUser();
    const k = key();
    expectError(await api(managed(user.id, k), { method: 'PUT', token: admin.accessToken, body: { value: 'x' } }), 400, 'VALIDATION_ERROR');
    expectError(await api(managed(crypto.randomUUID(), k), { method: 'PUT', token: admin.accessToken, body: { value: 'x', dataType: 'string' } }), 404, 'NOT_FOUND');

    const plain = await signedInUser();
    expectError(await api(managed(user.id, k), { method: 'PUT', token: plain.session.accessToken, body: { value: 'x', dataType: 'string' } }), 403, 'FORBIDDEN');
    const delegate = await signedInWith(['users:update', 'profile:read']);
    const seeded = await seededAdmin();
    const onAdmin = await api(managed(seeded.user.id, k), { method: 'PUT', token: delegate.session.accessToken, body: { value: 'x', dataType: 'string' } });
    expectError(onAdmin, 403, 'PROTECTED_TARGET');
    expect(await sql('select 1 from user_settings where user_id = $1 and key = $2', [seeded.user.id, k])).toHaveLength(0);
    // A user holding only what the delegate holds is within reach.
    const reader = await signedInWith(['profile:read']);
    expect((await api(managed(reader.user.id, k), { method: 'PUT', token: delegate.session.accessToken, body: { value: 'x', dataType: 'string' } })).status).toBe(200);
    expectError(await api(managed(user.id, k), { method: 'PUT', token: delegate.session.accessToken, body: { value: 'x', dataType: 'string' } }), 403, 'PROTECTED_TARGET');
  });
});
