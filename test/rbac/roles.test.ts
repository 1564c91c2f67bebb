import { describe, expect, it } from 'vitest';
import { api, expectError, loginAs, registerUser, signedInAdmin, sql } from '../harness';

const roleName = () => `role-${crypto.randomUUID().slice(0, 8)}`;

describe('roles and permissions', () => {
  it('creates a role with permissions, refuses unknown ones and duplicates', async () => {
    const { session } = await signedInAdmin();
    const name = roleName();
    const res = await api('/api/roles', { method: 'POST', token: session.accessToken, body: { name, permissions: ['users:read', 'dashboard:view'] } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ name, system: false, permissions: ['dashboard:view', 'users:read'] });
    expectError(await api('/api/roles', { method: 'POST', token: session.accessToken, body: { name, permissions: [] } }), 409, 'ROLE_ALREADY_EXISTS');
    const bad = roleName();
    expectError(await api('/api/roles', { method: 'POST', token: session.accessToken, body: { name: bad, permissions: ['users:read', 'nope:nothing'] } }), 400, 'VALIDATION_ERROR');
    expect(await sql('select 1 from roles where name = $1', [bad])).toHaveLength(0);
  });

  it('never deletes or renames the system roles', async () => {
    const { session } = await signedInAdmin();
    const [admin] = await sql<{ id: string }>("select id from roles where name = 'admin'");
    expectError(await api(`/api/roles/${admin!.id}`, { method: 'DELETE', token: session.accessToken }), 403, 'CANNOT_CHANGE_SYSTEM_ROLE');
    expectError(await api(`/api/roles/${admin!.id}`, { method: 'PATCH', token: session.accessToken, body: { name: 'root' } }), 403, 'CANNOT_CHANGE_SYSTEM_ROLE');
    const described = await api(`/api/roles/${admin!.id}`, { method: 'PATCH', token: session.accessToken, body: { description: 'Administrator with full access' } });
    expect(described.status).toBe(200);
  });

  it('a grant change reaches a user’s existing access token on the next request', async () => {
    const { session: admin } = await signedInAdmin();
    const role = await api('/api/roles', { method: 'POST', token: admin.accessToken, body: { name: roleName(), permissions: ['dashboard:view'] } });
    // The user's only role is this one: assigned, and the registration's `user` role revoked, through the API.
    const user = await registerUser();
    expect((await api(`/api/users/${user.id}/roles`, { method: 'POST', token: admin.accessToken, body: { roleId: role.body.data.id } })).status).toBe(200);
    const [userRole] = await sql<{ id: string }>("select id from roles where name = 'user'");
    expect((await api(`/api/users/${user.id}/roles/${userRole!.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    const session = await loginAs(user.email, user.password);
    expect(session.user.permissions).toEqual(['dashboard:view']);
    expectError(await api('/api/users', { token: session.accessToken }), 403, 'FORBIDDEN');

    await api(`/api/roles/${role.body.data.id}/permissions`, { method: 'POST', token: admin.accessToken, body: { permissions: ['users:read'] } });
    expect((await api('/api/users?limit=1', { token: session.accessToken })).status).toBe(200);

    await api(`/api/roles/${role.body.data.id}/permissions`, { method: 'DELETE', token: admin.accessToken, body: { permissions: ['users:read'] } });
    expectError(await api('/api/users?limit=1', { token: session.accessToken }), 403, 'FORBIDDEN');

    const replaced = await api(`/api/roles/${role.body.data.id}/permissions`, { method: 'PUT', token: admin.accessToken, body: { permissions: ['users:read', 'roles:read'] } });
    expect(replaced.body.data.permissions).toEqual(['roles:read', 'users:read']);
    expect((await api('/api/users?limit=1', { token: session.accessToken })).status).toBe(200);
  });

  it('assigns and revokes roles; an admin cannot remove their own admin role', async () => {
    const { user: me, session } = await signedInAdmin();
    const user = await registerUser();
    const [admin] = await sql<{ id: string }>("select id from roles where name = 'admin'");
    const target = await loginAs(user.email, user.password);
    expectError(await api('/api/users?limit=1', { token: target.accessToken }), 403, 'FORBIDDEN');
    expect((await api(`/api/users/${user.id}/roles`, { method: 'POST', token: session.accessToken, body: { roleId: admin!.id } })).status).toBe(200);
    expect((await api('/api/users?limit=1', { token: target.accessToken })).status).toBe(200);
    expect((await api(`/api/users/${user.id}/roles/${admin!.id}`, { method: 'DELETE', token: session.accessToken })).status).toBe(200);
    expectError(await api('/api/users?limit=1', { token: target.accessToken }), 403, 'FORBIDDEN');
    expectError(await api(`/api/users/${me.id}/roles/${admin!.id}`, { method: 'DELETE', token: session.accessToken }), 403, 'CANNOT_REMOVE_OWN_ADMIN_ROLE');
    expectError(await api(`/api/users/${crypto.randomUUID()}/roles`, { method: 'POST', token: session.accessToken, body: { roleId: admin!.id } }), 404, 'NOT_FOUND');
  });

  it('creates, lists and deletes permissions', async () => {
    const { session } = await signedInAdmin();
    const resource = `res${crypto.randomUUID().slice(0, 6)}`;
    const created = await api('/api/permissions', { method: 'POST', token: session.accessToken, body: { resource, action: 'read' } });
    expect(created.status).toBe(201);
    expectError(await api('/api/permissions', { method: 'POST', token: session.accessToken, body: { resource, action: 'read' } }), 409, 'PERMISSION_ALREADY_EXISTS');
    const list = await api('/api/permissions', { token: session.accessToken });
    expect(list.body.data.map((p: any) => p.name)).toContain(`${resource}:read`);
    expect((await api(`/api/permissions/${created.body.data.id}`, { method: 'DELETE', token: session.accessToken })).status).toBe(200);
    expectError(await api(`/api/permissions/${created.body.data.id}`, { method: 'DELETE', token: session.accessToken }), 404, 'NOT_FOUND');
  });
});
