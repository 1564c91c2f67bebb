import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, loginAs, newPassword, randomIdentity, registerUser, signedInAdmin, signedInUser, sql } from '../harness';

describe('user administration', () => {
  it('lists users with search, filters, sort and the total in one round trip', async () => {
    const { session } = await signedInAdmin();
    const tag = crypto.randomUUID().slice(0, 8);
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await registerUser({ ...randomIdentity(`srch${tag}`) }));
    expect((await api(`/api/users/${created[0]!.id}/status`, { method: 'PUT', token: session.accessToken, body: { status: 'suspended' } })).status).toBe(200);
    const res = await api(`/api/users?search=srch${tag}&limit=2&sortBy=email&sortOrder=asc`, { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.meta.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect(res.body.data[0]).not.toHaveProperty('password');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    const page2 = await api(`/api/users?search=srch${tag}&limit=2&page=2&sortBy=email&sortOrder=asc`, { token: session.accessToken });
    expect(page2.body.data).toHaveLength(1);
    const suspended = await api(`/api/users?search=srch${tag}&status=suspended`, { token: session.accessToken });
    expect(suspended.body.data.map((u: any) => u.id)).toEqual([created[0]!.id]);
    const byRole = await api(`/api/users?search=srch${tag}&role=admin`, { token: session.accessToken });
    expect(byRole.body.data).toHaveLength(0);
    expectError(await api('/api/users?limit=101', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/users?page=-1', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
  });

  it('creates and updates users, rejecting mass assignment', async () => {
    const { session } = await signedInAdmin();
    const identity = randomIdentity('adm');
    const res = await api('/api/users', { method: 'POST', token: session.accessToken, body: { ...identity, password: newPassword(), firstName: 'New', lastName: 'Person', roles: ['user'], status: 'active' } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ email: identity.email, status: 'active', roles: ['user'] });
    const id = res.body.data.id;
    expectError(await api('/api/users', { method: 'POST', token: session.accessToken, body: { ...randomIdentity(), password: newPassword(), firstName: 'A', lastName: 'B', roles: ['nope'] } }), 400, 'VALIDATION_ERROR');

    const upd = await api(`/api/users/${id}`, { method: 'PATCH', token: session.accessToken, body: { firstName: 'Renamed', bio: 'hello' } });
    expect(upd.status).toBe(200);
    expect(upd.body.data.firstName).toBe('Renamed');
    // One batch (existence and containment guards, audit row, update), then the user read back.
    expect(await dbStats(upd.requestId)).toEqual({ roundTrips: 2, statements: 5 });
    const [audit] = await sql<{ old_values: string; new_values: string }>("select old_values, new_values from audit_logs where entity_id = $1 and action = 'update' order by created_at desc limit 1", [id]);
    expect(JSON.parse(audit!.old_values)).toEqual({ firstName: 'New', bio: null });
    expect(JSON.parse(audit!.new_values)).toEqual({ firstName: 'Renamed', bio: 'hello' });

    for (const body of [{ status: 'active' }, { roles: ['admin'] }, { password: 'x'.repeat(12) }, { isActive: false }]) {
      expectError(await api(`/api/users/${id}`, { method: 'PATCH', token: session.accessToken, body }), 400, 'VALIDATION_ERROR');
    }
    const other = await registerUser();
    expectError(await api(`/api/users/${id}`, { method: 'PATCH', token: session.accessToken, body: { email: other.email } }), 409, 'EMAIL_ALREADY_EXISTS');
    expectError(await api(`/api/users/${crypto.randomUUID()}`, { method: 'PATCH', token: session.accessToken, body: { firstName: 'X' } }), 404, 'NOT_FOUND');
  });

  it('suspending revokes the user’s sessions; admins list and revoke sessions', async () => {
    const { session: admin } = await signedInAdmin();
    const { user, session } = await signedInUser();
    const second = await loginAs(user.email, user.password);
    const listed = await api(`/api/users/${user.id}/sessions`, { token: admin.accessToken });
    expect(listed.body.data.map((s: any) => s.id).sort()).toEqual([session.sessionId, second.sessionId].sort());
    const one = await api(`/api/users/${user.id}/sessions/${second.sessionId}`, { method: 'DELETE', token: admin.accessToken });
    expect(one.body.data.revokedSessions).toBe(1);
    expectError(await api('/api/auth/me', { token: second.accessToken }), 401, 'UNAUTHORIZED');

    const res = await api(`/api/users/${user.id}/status`, { method: 'PUT', token: admin.accessToken, body: { status: 'suspended', reason: 'abuse' } });
    expect(res.body.data.status).toBe('suspended');
    expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 403, 'ACCOUNT_DISABLED');
    await api(`/api/users/${user.id}/status`, { method: 'PUT', token: admin.accessToken, body: { status: 'active' } });
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(200);
  });

  it('soft-deletes (hidden from lists and login), restores and hard-deletes', async () => {
    const { user: adminUser, session: admin } = await signedInAdmin();
    const { user, session } = await signedInUser();
    expect((await api(`/api/users/${user.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } }), 401, 'INVALID_CREDENTIALS');
    const hidden = await api(`/api/users?search=${user.username}`, { token: admin.accessToken });
    expect(hidden.body.data).toHaveLength(0);
    const only = await api(`/api/users?search=${user.username}&deleted=only`, { token: admin.accessToken });
    expect(only.body.data).toHaveLength(1);
    expectError(await api('/api/auth/register', { method: 'POST', body: { email: user.email, username: `x${user.username}`.slice(0, 50), password: newPassword(), firstName: 'A', lastName: 'B' } }), 409, 'EMAIL_ALREADY_EXISTS');

    expect((await api(`/api/users/${user.id}/restore`, { method: 'POST', token: admin.accessToken })).body.data.deletedAt).toBeNull();
    expect((await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } })).status).toBe(200);

    expect((await api(`/api/users/${user.id}/permanent`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    expect(await sql('select 1 from users where id = $1', [user.id])).toHaveLength(0);
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Permanently deleted'", [user.id])).toHaveLength(1);
    expectError(await api(`/api/users/${adminUser.id}`, { method: 'DELETE', token: admin.accessToken }), 403, 'FORBIDDEN');
  });
});
