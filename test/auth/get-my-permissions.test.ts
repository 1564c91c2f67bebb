import { describe, expect, it } from 'vitest';
import { api, createApiKey, createRoleWith, dbStats, expectError, seededAdmin, signedInUser, sql } from '../harness';

/** The user's effective permissions, read from the database (test assertion). */
async function grantedPermissions(userId: string): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    `select distinct p.resource || ':' || p.action as name from user_roles ur
      join role_permissions rp on rp.role_id = ur.role_id join permissions p on p.id = rp.permission_id
      where ur.user_id = $1 and ur.is_active and (ur.expires_at is null or ur.expires_at > now()) order by 1`,
    [userId],
  );
  return rows.map((r) => r.name).sort();
}

describe('GET /api/auth/permissions', () => {
  it('lists the caller’s roles and effective permissions, as granted, without a database round trip', async () => {
    const { user, session } = await signedInUser();
    const res = await api('/api/auth/permissions', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ userId: user.id, roles: ['user'], permissions: await grantedPermissions(user.id) });
    expect(res.body.data.permissions).toEqual(expect.arrayContaining(['profile:read', 'navigation:view']));
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 0, statements: 0 });
  });

  it('follows a role change at once, before the access token is refreshed', async () => {
    const admin = await seededAdmin();
    const { user, session } = await signedInUser();
    const role = await createRoleWith(admin.accessToken, ['system:monitor'], 'perm_view');
    const assigned = await api(`/api/users/${user.id}/roles`, { method: 'POST', token: admin.accessToken, body: { roleId: role.id } });
    expect(assigned.status).toBe(200);
    const res = await api('/api/auth/permissions', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data.roles).toEqual([role.name, 'user'].sort());
    expect(res.body.data.permissions).toContain('system:monitor');
    expect(res.body.data.permissions).toEqual(await grantedPermissions(user.id));
    // What it lists is what the API enforces: the new permission works with the same token.
    expect((await api('/api/admin/jobs', { token: session.accessToken })).status).toBe(200);
  });

  it('shows wildcards as held: an administrator gets *:*', async () => {
    const admin = await seededAdmin();
    const res = await api('/api/auth/permissions', { token: admin.accessToken });
    expect(res.body.data.roles).toContain('admin');
    expect(res.body.data.permissions).toContain('*:*');
  });

  it('needs a signed-in user: 401 without credentials, 403 API_KEY_NOT_ALLOWED for an API key', async () => {
    expectError(await api('/api/auth/permissions'), 401, 'UNAUTHORIZED');
    const admin = await seededAdmin();
    const { key } = await createApiKey(admin.accessToken, ['*:*']);
    expectError(await api('/api/auth/permissions', { headers: { 'X-API-Key': key } }), 403, 'API_KEY_NOT_ALLOWED');
  });
});
