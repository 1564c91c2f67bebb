import { describe, expect, it } from 'vitest';
import { outbox, sentEmail } from '../account-security/helpers';
import { api, createApiKey, dbStats, env, expectError, registerUser, loginAs, signedInAdmin, signedInUser, sql, userWithPermissions, verifyOwnEmail } from '../harness';

const DAY = 24 * 3600 * 1000;
const create = (token: string, body: Record<string, unknown>, now?: Date) => api('/api/api-keys', { method: 'POST', token, body, ...(now ? { now } : {}) });

/** A fresh user with a verified email, signed in (keys need both). */
async function verifiedUser() {
  const { user, session } = await signedInUser();
  await verifyOwnEmail(session.accessToken);
  return { user, session };
}

describe('API keys', () => {
  it('are shown once in the original format, stored as prefix + SHA-256, and listed without the secret', async () => {
    const { user, session } = await verifiedUser();
    const res = await create(session.accessToken, { name: 'ci', scopes: ['profile:read'] });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const key: string = res.body.data.key;
    expect(key).toMatch(/^ak_[0-9a-f]{8}_[0-9a-f]{64}$/);
    expect(res.body.data.prefix).toBe(key.slice(0, 11));
    const [row] = await sql<{ key_hash: string; key_prefix: string }>('select key_hash, key_prefix from api_keys where id = $1', [res.body.data.id]);
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)))].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(row).toEqual({ key_hash: digest, key_prefix: key.slice(0, 11) });
    const list = await api('/api/api-keys', { token: session.accessToken });
    expect(list.headers.get('cache-control')).toBe('private, no-cache');
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(key.slice(12));
    expect(list.body.data[0]).not.toHaveProperty('key');
    const one = await api(`/api/api-keys/${res.body.data.id}`, { token: session.accessToken });
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: res.body.data.id, name: 'ci', scopes: ['profile:read'], active: true, userId: user.id });
    expect(one.body.data).not.toHaveProperty('key');
    const audit = await sql<{ new_values: string }>("select new_values::text from audit_logs where entity_type = 'api_key' and user_id = $1", [user.id]);
    expect(audit[0]!.new_values).not.toContain(key.slice(12));
  });

  it('cannot carry scopes beyond the creator’s permissions', async () => {
    const { session } = await verifiedUser();
    const res = await create(session.accessToken, { name: 'x', scopes: ['profile:read', 'users:delete'] });
    expectError(res, 403, 'SCOPE_NOT_ALLOWED');
    expect(res.body.error.details[0].message).toContain('users:delete');
  });

  it('need a verified email address: nothing is written before', async () => {
    const { user, session } = await signedInUser();
    expectError(await create(session.accessToken, { name: 'early', scopes: ['profile:read'] }), 403, 'EMAIL_NOT_VERIFIED');
    expect(await sql("select 1 from api_keys where user_id = $1", [user.id])).toHaveLength(0);
    expect(await sql("select 1 from audit_logs where user_id = $1 and entity_type = 'api_key'", [user.id])).toHaveLength(0);
    await verifyOwnEmail(session.accessToken);
    expect((await create(session.accessToken, { name: 'now', scopes: ['profile:read'] })).status).toBe(201);
  });

  it('need a fresh proof of identity to create or rotate; a re-authentication restores it', async () => {
    const { user, session } = await verifiedUser();
    const later = new Date(Date.now() + 301_000);
    const stale = await create(session.accessToken, { name: 'stale', scopes: ['profile:read'] }, later);
    expectError(stale, 403, 'REAUTHENTICATION_REQUIRED');
    expect(stale.body.error.details).toMatchObject({ maxAgeSeconds: 300 });
    expect(await sql('select 1 from api_keys where user_id = $1', [user.id])).toHaveLength(0);
    const fresh = await create(session.accessToken, { name: 'fresh', scopes: ['profile:read'] });
    expectError(await api(`/api/api-keys/${fresh.body.data.id}/rotate`, { method: 'POST', token: session.accessToken, now: later }), 403, 'REAUTHENTICATION_REQUIRED');
    const reauth = await api('/api/auth/reauthenticate', { method: 'POST', token: session.accessToken, body: { password: user.password }, now: later });
    expect(reauth.status, JSON.stringify(reauth.body)).toBe(200);
    expect((await create(session.accessToken, { name: 'again', scopes: ['profile:read'] }, later)).status).toBe(201);
    expect((await api(`/api/api-keys/${fresh.body.data.id}/rotate`, { method: 'POST', token: session.accessToken, now: later })).status).toBe(200);
  });

  it('expire after 90 days by default and at most after 365', async () => {
    const { session } = await verifiedUser();
    const before = Date.now();
    const byDefault = await create(session.accessToken, { name: 'default', scopes: ['profile:read'] });
    const expires = new Date(byDefault.body.data.expiresAt).getTime();
    expect(expires - before).toBeGreaterThanOrEqual(90 * DAY - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(90 * DAY);
    const yearAhead = new Date(Date.now() + 365 * DAY - 60_000).toISOString();
    expect((await create(session.accessToken, { name: 'year', scopes: ['profile:read'], expiresAt: yearAhead })).body.data.expiresAt).toBe(yearAhead.replace(/Z$/, 'Z'));
    const tooFar = await create(session.accessToken, { name: 'far', scopes: ['profile:read'], expiresAt: new Date(Date.now() + 366 * DAY).toISOString() });
    expectError(tooFar, 400, 'VALIDATION_ERROR');
    expect(tooFar.body.error.details[0]).toMatchObject({ field: 'body.expiresAt', code: 'too_big' });
    expectError(await create(session.accessToken, { name: 'old', scopes: ['profile:read'], expiresAt: '2020-01-01T00:00:00Z' }), 400, 'VALIDATION_ERROR');
    const at90 = new Date(expires + 1000);
    const { key } = byDefault.body.data;
    expect((await api('/api/users/profile', { headers: { 'X-API-Key': key } })).status).toBe(200);
    expectError(await api('/api/users/profile', { headers: { 'X-API-Key': key }, now: at90 }), 401, 'UNAUTHORIZED');
  });

  it('email their owner when created or rotated, never with the secret', async () => {
    const { user, session } = await verifiedUser();
    const created = await create(session.accessToken, { name: 'deploy bot', scopes: ['profile:read'] });
    const notice = await sentEmail(user.email, 'api_key_created');
    expect(notice.text).toContain('deploy bot');
    expect(notice.text).toContain(created.body.data.prefix);
    expect(notice.text).not.toContain(created.body.data.key.slice(12));
    const rotated = await api(`/api/api-keys/${created.body.data.id}/rotate`, { method: 'POST', token: session.accessToken });
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const rotation = await sentEmail(user.email, 'api_key_rotated');
    expect(rotation.text).not.toContain(rotated.body.data.key.slice(12));
    expect(await outbox(user.email, 'api_key_created')).toHaveLength(1);
  });

  it('authenticate with X-API-Key or Bearer, limited to their scopes, cached after the first use', async () => {
    const { session } = await signedInAdmin();
    const created = await create(session.accessToken, { name: 'reader', scopes: ['users:read'] });
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

  it('stop working when revoked (the row stays), rotated or expired', async () => {
    const { session } = await signedInAdmin();
    const mk = async (body: Record<string, unknown> = {}) => (await create(session.accessToken, { name: 'k', scopes: ['users:read'], ...body })).body.data;
    const revoked = await mk();
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': revoked.key } })).status).toBe(200);
    expect((await api(`/api/api-keys/${revoked.id}`, { method: 'DELETE', token: session.accessToken })).body.data.active).toBe(false);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': revoked.key } }), 401, 'UNAUTHORIZED');
    const kept = await api(`/api/api-keys/${revoked.id}`, { token: session.accessToken });
    expect(kept.body.data).toMatchObject({ id: revoked.id, active: false });

    const rotated = await mk();
    await api('/api/users?limit=1', { headers: { 'X-API-Key': rotated.key } });
    const fresh = await api(`/api/api-keys/${rotated.id}/rotate`, { method: 'POST', token: session.accessToken });
    expect(fresh.body.data.key).not.toBe(rotated.key);
    expect(fresh.body.data.expiresAt).toBe(rotated.expiresAt);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': rotated.key } }), 401, 'UNAUTHORIZED');
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': fresh.body.data.key } })).status).toBe(200);

    const expiring = await mk({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': expiring.key } })).status).toBe(200);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': expiring.key }, now: new Date(Date.now() + 7_200_000) }), 401, 'UNAUTHORIZED');
  });

  it('belong to their owner: another user gets 404; admins can list and revoke anyone’s', async () => {
    const owner = await verifiedUser();
    const stranger = await signedInUser();
    const key = (await create(owner.session.accessToken, { name: 'mine', scopes: ['profile:read'] })).body.data;
    expectError(await api(`/api/api-keys/${key.id}`, { token: stranger.session.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/api-keys/${key.id}`, { method: 'PATCH', token: stranger.session.accessToken, body: { name: 'taken' } }), 404, 'NOT_FOUND');
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

describe('PATCH /api/api-keys/{id}', () => {
  it('renames a key without a fresh proof; new scopes need one, stay within the owner’s permissions and apply at once', async () => {
    const { user, session } = await signedInAdmin();
    const key = (await create(session.accessToken, { name: 'reader', scopes: ['users:read'] })).body.data;
    expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': key.key } })).status).toBe(200);
    const later = new Date(Date.now() + 301_000);
    const renamed = await api(`/api/api-keys/${key.id}`, { method: 'PATCH', token: session.accessToken, body: { name: 'profile reader' }, now: later });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'profile reader', scopes: ['users:read'], prefix: key.prefix });
    expectError(await api(`/api/api-keys/${key.id}`, { method: 'PATCH', token: session.accessToken, body: { scopes: ['profile:read'] }, now: later }), 403, 'REAUTHENTICATION_REQUIRED');
    const narrowed = await api(`/api/api-keys/${key.id}`, { method: 'PATCH', token: session.accessToken, body: { scopes: ['profile:read'] } });
    expect(narrowed.body.data.scopes).toEqual(['profile:read']);
    expectError(await api('/api/users?limit=1', { headers: { 'X-API-Key': key.key } }), 403, 'FORBIDDEN');
    expect((await api('/api/users/profile', { headers: { 'X-API-Key': key.key } })).status).toBe(200);
    const audit = await sql<{ description: string }>("select description from audit_logs where entity_type = 'api_key' and entity_id = $1 and action = 'update'", [key.id]);
    expect(audit.map((a) => a.description)).toEqual(['Changed', 'Changed']);

    const holder = await userWithPermissions(session.accessToken, ['api_keys:create', 'api_keys:update', 'profile:read']);
    await verifyOwnEmail(holder.session.accessToken);
    const own = await createApiKey(holder.session.accessToken, ['profile:read']);
    const wider = await api(`/api/api-keys/${own.id}`, { method: 'PATCH', token: holder.session.accessToken, body: { scopes: ['users:read'] } });
    expectError(wider, 403, 'SCOPE_NOT_ALLOWED');
    expectError(await api(`/api/api-keys/${own.id}`, { method: 'PATCH', token: holder.session.accessToken, body: {} }), 400, 'VALIDATION_ERROR');
    expect(user.id).not.toBe(holder.user.id);
  });
});

describe('POST /api/api-keys/validate', () => {
  it('tells a service whose a key is and what it may do, never the key; needs api_keys:validate', async () => {
    const { user, session } = await signedInAdmin();
    const key = (await create(session.accessToken, { name: 'client', scopes: ['users:read', 'profile:read'] })).body.data;
    const gateway = await create(session.accessToken, { name: 'gateway', scopes: ['api_keys:validate'], expiresAt: new Date(Date.now() + 200 * DAY).toISOString() });
    const service = gateway.body.data as { key: string };
    const validate = (presented: string, init: Parameters<typeof api>[1] = {}) => api('/api/api-keys/validate', { method: 'POST', body: { key: presented }, headers: { 'X-API-Key': service.key }, ...init });

    const ok = await validate(key.key);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.data).toEqual({ valid: true, keyId: key.id, userId: user.id, name: 'client', scopes: ['users:read', 'profile:read'], expiresAt: key.expiresAt });
    expect(JSON.stringify(ok.body)).not.toContain(key.key.slice(12));
    expect((await validate('ak_nope')).body.data).toEqual({ valid: false, reason: 'invalid' });
    expect((await validate(`ak_00000000_${'0'.repeat(64)}`)).body.data).toEqual({ valid: false, reason: 'invalid' });
    expect((await validate(key.key, { now: new Date(Date.now() + 91 * DAY) })).body.data).toEqual({ valid: false, reason: 'expired' });
    await api(`/api/api-keys/${key.id}`, { method: 'DELETE', token: session.accessToken });
    expect((await validate(key.key)).body.data).toEqual({ valid: false, reason: 'revoked' });

    const plain = await registerUser();
    const plainSession = await loginAs(plain.email, plain.password);
    expectError(await api('/api/api-keys/validate', { method: 'POST', token: plainSession.accessToken, body: { key: service.key } }), 403, 'FORBIDDEN');
    expectError(await api('/api/api-keys/validate', { method: 'POST', body: { key: service.key } }), 401, 'UNAUTHORIZED');
  });
});
