import { describe, expect, it } from 'vitest';
import { api, createRoleWith, expectError, loginAs, registerUser, signedInAdmin, signedInUser, sql } from '../harness';

describe('GET /api/roles and GET /api/roles/{id}', () => {
  it('lists every role, by name, with its permissions and holder count; one role by id', async () => {
    const { session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const role = await createRoleWith(token, ['users:read', 'dashboard:view'], 'getrole');
    const holders = [await registerUser(), await registerUser()];
    for (const h of holders) expect((await api(`/api/users/${h.id}/roles`, { method: 'POST', token, body: { roleId: role.id } })).status).toBe(200);

    const list = await api('/api/roles', { token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const names: string[] = list.body.data.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['admin', 'user', role.name]));
    const listed = list.body.data.find((r: { id: string }) => r.id === role.id);
    expect(listed).toMatchObject({ id: role.id, name: role.name, system: false, permissions: ['dashboard:view', 'users:read'], userCount: 2 });
    const adminRole = list.body.data.find((r: { name: string }) => r.name === 'admin');
    expect(adminRole).toMatchObject({ system: true });
    expect(adminRole.permissions).toContain('*:*');

    const one = await api(`/api/roles/${role.id}`, { token });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(listed);
    expectError(await api(`/api/roles/${crypto.randomUUID()}`, { token }), 404, 'NOT_FOUND');
    expectError(await api('/api/roles/not-a-uuid', { token }), 400, 'VALIDATION_ERROR');
  });

  it('needs roles:read', async () => {
    const { session } = await signedInUser();
    expectError(await api('/api/roles', { token: session.accessToken }), 403, 'FORBIDDEN');
    const [user] = await sql<{ id: string }>("select id from roles where name = 'user'");
    expectError(await api(`/api/roles/${user!.id}`, { token: session.accessToken }), 403, 'FORBIDDEN');
  });
});

describe('DELETE /api/roles/{id}', () => {
  it('removes the role and its grants: holders lose its permissions on their next request', async () => {
    const { session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const role = await createRoleWith(token, ['users:read'], 'delrole');
    const holder = await registerUser();
    expect((await api(`/api/users/${holder.id}/roles`, { method: 'POST', token, body: { roleId: role.id } })).status).toBe(200);
    // Tokens carry their issue time to the second: one issued in the second of the assignment re-reads
    // its permissions on every request anyway; this one is issued later, so only the deletion can reach it.
    await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    const session = await loginAs(holder.email, holder.password);
    expect((await api('/api/users?limit=1', { token: session.accessToken })).status).toBe(200);

    const res = await api(`/api/roles/${role.id}`, { method: 'DELETE', token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectError(await api(`/api/roles/${role.id}`, { token }), 404, 'NOT_FOUND');
    expect((await api('/api/roles', { token })).body.data.map((r: { id: string }) => r.id)).not.toContain(role.id);
    expect(await sql('select 1 from user_roles where role_id = $1', [role.id])).toHaveLength(0);
    // The holder's existing token no longer carries the permission; the other roles stay.
    expectError(await api('/api/users?limit=1', { token: session.accessToken }), 403, 'FORBIDDEN');
    const me = await api('/api/auth/me', { token: session.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.data.roles ?? me.body.data.user?.roles).toEqual(['user']);
    expect((await api(`/api/users/${holder.id}`, { token })).body.data.roles).toEqual(['user']);
    expectError(await api(`/api/roles/${role.id}`, { method: 'DELETE', token }), 404, 'NOT_FOUND');
  });
});
