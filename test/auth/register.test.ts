import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, newPassword, randomIdentity, sql, warmSettingsCache } from '../harness';

const body = (overrides: Record<string, unknown> = {}) => ({ ...randomIdentity(), password: newPassword(), firstName: 'Ada', lastName: 'Lovelace', ...overrides });

describe('POST /api/auth/register', () => {
  it('creates a pending user with the user role, preferences and an audit row, in one round trip', async () => {
    await warmSettingsCache();
    const input = body({ email: `Mixed.${crypto.randomUUID().slice(0, 8)}@Example.TEST` });
    const res = await api('/api/auth/register', { method: 'POST', body: input });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ email: input.email.toLowerCase(), username: input.username, status: 'pending', roles: ['user'], emailVerified: false });
    expect(res.body.data).not.toHaveProperty('password');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 6 });

    const id = res.body.data.id;
    const [user] = await sql<{ password: string }>('select password from users where id = $1', [id]);
    expect(user!.password).toMatch(/^\$2[ab]\$10\$/);
    expect(await sql('select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = $1 and r.name = $2', [id, 'user'])).toHaveLength(1);
    expect(await sql('select 1 from user_preferences where user_id = $1', [id])).toHaveLength(1);
    expect(await sql('select 1 from notification_preferences where user_id = $1', [id])).toHaveLength(5);
    const audits = await sql<{ action: string; new_values: string }>("select action, new_values from audit_logs where entity_id = $1 and entity_type = 'user'", [id]);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.action).toBe('create');
    expect(audits[0]!.new_values).not.toContain(input.password);
  });

  it('rejects duplicates with EMAIL_ALREADY_EXISTS / USERNAME_ALREADY_EXISTS and writes nothing', async () => {
    const first = body();
    expect((await api('/api/auth/register', { method: 'POST', body: first })).status).toBe(201);
    expectError(await api('/api/auth/register', { method: 'POST', body: body({ email: first.email.toUpperCase() }) }), 409, 'EMAIL_ALREADY_EXISTS');
    const again = body({ username: first.username });
    expectError(await api('/api/auth/register', { method: 'POST', body: again }), 409, 'USERNAME_ALREADY_EXISTS');
    expect(await sql('select 1 from users where email = $1', [again.email])).toHaveLength(0);
  });

  it('applies the password policy: length, common passwords, no composition rules', async () => {
    const short = await api('/api/auth/register', { method: 'POST', body: body({ password: 'short1' }) });
    expectError(short, 400, 'VALIDATION_ERROR');
    expect(short.body.error.details[0].field).toBe('body.password');
    expectError(await api('/api/auth/register', { method: 'POST', body: body({ password: 'password1' }) }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/auth/register', { method: 'POST', body: body({ password: 'Football' }) }), 400, 'VALIDATION_ERROR');
    expect((await api('/api/auth/register', { method: 'POST', body: body({ password: 'x'.repeat(64) + 'ü' }) })).status).toBe(201);
    expect((await api('/api/auth/register', { method: 'POST', body: body({ password: 'all lowercase words here' }) })).status).toBe(201);
  });

  it('lists every validation issue and rejects unknown fields', async () => {
    const res = await api('/api/auth/register', { method: 'POST', body: { email: 'nope', username: 'a', password: 'x', firstName: '', lastName: 'L', role: 'admin' } });
    expectError(res, 400, 'VALIDATION_ERROR');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.username', 'body.password', 'body.firstName']));
    expect(res.body.error.details.some((d: { code: string }) => d.code === 'unrecognized_keys')).toBe(true);
  });

  it('answers malformed JSON, wrong content types and oversized bodies in the envelope', async () => {
    expectError(await api('/api/auth/register', { method: 'POST', body: '{"email":', raw: true, headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
    expectError(await api('/api/auth/register', { method: 'POST', body: 'email=a', raw: true, headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), raw: true, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await api('/api/auth/register', { method: 'POST' , body: '', raw: true, headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
  });
});
