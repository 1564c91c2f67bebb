import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, signedInAdmin, signedInUser, sql } from '../harness';

describe('API keys', () => {
  it('are shown once in the original format, stored as prefix + SHA-256, and listed without the secret', async () => {
    const { user, session } = await signedInUser();
    const res = await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'ci', scopes: ['profile:read'] } });
    expect(res.status).toBe(201);
    const key: string = res.body.data.key;
    expect(key).toMatch(/^ak_[0-9a-f]{8}_[0-9a-f]{64}$/);
    expect(res.body.data.prefix).toBe(key.slice(0, 11));
    const [row] = await sql<{ key_hash: string; key_prefix: string }>('select key_hash, key_prefix from api_keys where id = $1', [res.body.data.id]);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(row).toEqual({ key_hash: digest, key_prefix: key.slice(0, 11) });
    const list = await api('/api/api-keys', { token: session.accessToken });
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(key.slice(12));
    expect(list.body.data[0]).not.toHaveProperty('key');
    const audit = await sql<{ new_values: string }>("select new_values::text from audit_logs where entity_type = 'api_key' and user_id = $1", [user.id]);
    expect(audit[0]!.new_values).not.toContain(key.slice(12));
  });

  it('cannot carry scopes beyond the creator’s permissions', async () => {
    const { session } = await signedInUser();
    const res = await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'x', scopes: ['profile:read', 'users:delete'] } });
    expectError(res, 403, 'SCOPE_NOT_ALLOWED');
    expect(res.body.error.details[0].message).toContain('users:delete');
  });

  it('authenticate with X-API-Key or Bearer, limited to their scopes, cached after the first use', async () => {
    const { session } = await signedInAdmin();
    const created = await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'reader', scopes: ['users:read'] } });
    const key = created.body.data.key;
    const first = await api('/api/users?limit=1', { headers: { 'X-API-Key': key } });
    expect(first.status).toBe(200);
    const second = await api('/api/users?limit=1', { token: key });
    expect(second.status).toBe(200);
    expect(await dbStats(second.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expectError(await api('/api/roles', { headers: { 'X-API-Key': key } }), 403, 'FORBIDDEN');
    expectError(await api('/api/users', { method: 'POST', headers: { 'X-API-Key': key }, body: {} }), 403, 'FORBIDDEN');
    await expect.poll(async () => (await sql<{ last_used_at: string | null }>('select last_used_at from api_keys where id = $1', [created.body.data.id]))[0]!.last_used_at).not.toBeNull();
    expectError(await api('/api/users', { headers: { 'X-API-Key': `${key.slice(0, -1)}0` } }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/users', { headers: { 'X-API-Key': 'ak_nope' } }), 401, 'UNAUTHORIZED');
  });

  it('stop working when revoked, rotated or expired', async () => {
    const { session } = await signedInAdmin();
    const mk = async (body: Record<string, unknown> = {}) => (await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'k', scopes: ['users:read'], ...body } })).body.data;
    const revoked = await mk();
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': revoked.key } })).status).toBe(200);
    expect((await api(`/api/api-keys/${revoked.id}`, { method: 'DELETE', token: session.accessToken })).body.data.active).toBe(false);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': revoked.key } }), 401, 'UNAUTHORIZED');

    const rotated = await mk();
    await api('/api/users?limit=1', { headers: { 'X-API-Key': rotated.key } });
    const fresh = await api(`/api/api-keys/${rotated.id}/rotate`, { method: 'POST', token: session.accessToken });
    expect(fresh.body.data.key).not.toBe(rotated.key);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': rotated.key } }), 401, 'UNAUTHORIZED');
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': fresh.body.data.key } })).status).toBe(200);

    const expiring = await mk({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': expiring.key } })).status).toBe(200);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': expiring.key }, now: new Date(Date.now() + 7_200_000) }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'old', scopes: ['users:read'], expiresAt: '2020-01-01T00:00:00Z' } }), 400, 'VALIDATION_ERROR');
  });

  it('belong to their owner: another user gets 404; admins can list and revoke anyone’s', async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const key = (await api('/api/api-keys', { method: 'POST', token: owner.session.accessToken, body: { name: 'mine', scopes: ['profile:read'] } })).body.data;
    expectError(await api(`/api/api-keys/${key.id}`, { token: stranger.session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/api-keys/${key.id}`, { method: 'DELETE', token: stranger.session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/api-keys/${key.id}/rotate`, { method: 'POST', token: stranger.session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/admin/api-keys?userId=${owner.user.id}`, { token: stranger.session.accessToken }), 403, 'FORBIDDEN');
    const { session: admin } = await signedInAdmin();
    const listed = await api(`/api/admin/api-keys?userId=${owner.user.id}`, { token: admin.accessToken });
    expect(listed.body.data.map((k: any) => k.id)).toEqual([key.id]);
    expect((await api(`/api/admin/api-keys/${key.id}`, { method: 'DELETE', token: admin.accessToken })).body.data.active).toBe(false);
    expect(await env.CACHE.get(`apikey:${key.id}`)).toBeNull();
  });
});
