import { describe, expect, it } from 'vitest';
import { api, createRoleWith, dbStats, expectError, loginAs, registerUser, signedInAdmin, signedInUser, sql } from '../harness';

describe('GET /api/users/{id}', () => {
  it('returns the user with roles and effective permissions, without secrets, in one round trip', async () => {
    const { session: admin } = await signedInAdmin();
    const user = await registerUser();
    const role = await createRoleWith(admin.accessToken, ['dashboard:analytics', 'system:logs'], 'getuser');
    expect((await api(`/api/users/${user.id}/roles`, { method: 'POST', token: admin.accessToken, body: { roleId: role.id } })).status).toBe(200);
    const signedIn = await loginAs(user.email, user.password);

    const res = await api(`/api/users/${user.id}`, { token: admin.accessToken });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      id: user.id,
      email: user.email,
      username: user.username,
      firstName: 'Test',
      lastName: 'User',
      status: 'pending',
      emailVerified: false,
      twoFactorEnabled: false,
      deletedAt: null,
    });
    expect([...res.body.data.roles].sort()).toEqual([role.name, 'user'].sort());
    // The permissions are the union of both roles' (the same as the user's own token carries).
    expect([...res.body.data.permissions].sort()).toEqual([...signedIn.user.permissions].sort());
    expect(res.body.data.permissions).toEqual(expect.arrayContaining(['dashboard:analytics', 'system:logs', 'profile:read']));
    expect(res.body.data.lastLoginAt).toEqual(expect.any(String));
    expect(JSON.stringify(res.body.data)).not.toMatch(/password|\$2[aby]\$/i);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });

    // It reads what is stored now: a change through the API shows on the next read.
    expect((await api(`/api/users/${user.id}`, { method: 'PATCH', token: admin.accessToken, body: { bio: 'changed' } })).status).toBe(200);
    expect((await api(`/api/users/${user.id}`, { token: admin.accessToken })).body.data.bio).toBe('changed');
  });

  it('shows a soft-deleted user with deletedAt; 404 for an unknown or purged id, 400 for a malformed one', async () => {
    const { session: admin } = await signedInAdmin();
    const user = await registerUser();
    expect((await api(`/api/users/${user.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    const deleted = await api(`/api/users/${user.id}`, { token: admin.accessToken });
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.deletedAt).toEqual(expect.any(String));
    expect((await api(`/api/users/${user.id}/permanent`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    expectError(await api(`/api/users/${user.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    expectError(await api(`/api/users/${crypto.randomUUID()}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    expectError(await api('/api/users/not-a-uuid', { token: admin.accessToken }), 400, 'VALIDATION_ERROR');
  });

  it('needs users:read', async () => {
    const { user, session } = await signedInUser();
    expectError(await api(`/api/users/${user.id}`, { token: session.accessToken }), 403, 'FORBIDDEN');
    expectError(await api(`/api/users/${user.id}`), 401, 'UNAUTHORIZED');
    expect(await sql('select 1 from users where id = $1', [user.id])).toHaveLength(1);
  });
});

describe('DELETE /api/users/{id}/sessions', () => {
  it('ends every session of that user (access and refresh tokens), and no one else’s', async () => {
    const { session: admin } = await signedInAdmin();
    const { user, session: first } = await signedInUser();
    const second = await loginAs(user.email, user.password);
    const bystander = await signedInUser();

    const res = await api(`/api/users/${user.id}/sessions`, { method: 'DELETE', token: admin.accessToken });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({ revokedSessions: 2 });
    for (const session of [first, second]) {
      expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
      expect((await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } })).status).toBe(401);
    }
    const rows = await sql<{ revoked: boolean | string }>('select (revoked_at is not null)::text as revoked from user_sessions where user_id = $1', [user.id]);
    expect(rows.map((r) => r.revoked)).toEqual(['true', 'true']);
    expect((await api(`/api/users/${user.id}/sessions`, { token: admin.accessToken })).body.data).toEqual([]);

    // Other users and the administrator keep theirs; the user can sign in again.
    expect((await api('/api/auth/me', { token: bystander.session.accessToken })).status).toBe(200);
    expect((await api('/api/auth/me', { token: admin.accessToken })).status).toBe(200);
    const again = await loginAs(user.email, user.password);
    expect((await api('/api/auth/me', { token: again.accessToken })).status).toBe(200);
    // Nothing left to revoke but the new session.
    expect((await api(`/api/users/${user.id}/sessions`, { method: 'DELETE', token: admin.accessToken })).body.data).toEqual({ revokedSessions: 1 });
    expectError(await api(`/api/users/${crypto.randomUUID()}/sessions`, { method: 'DELETE', token: admin.accessToken }), 404, 'NOT_FOUND');
  });
});
