import { describe, expect, it } from 'vitest';
import { api, createApiKey, createRoleWith, expectError, loginAs, newPassword, registerUser, signedInAdmin, signedInUser, sql, userWithPermissions } from '../harness';

/*
 * The rules around the table of test/contract/authorization.test.ts (which checks each operation's
 * own permission and its neighbours): wildcards on route guards, grants that expired or were
 * deactivated, API keys whose owner is gone, what an administrator may not do to themselves, what
 * a permanent delete frees, and authentication when KV fails.
 */

const refusal = (res: { status: number; body: any }) => `${res.status} ${res.body?.error?.code ?? ''}`;

describe('permission rules', () => {
  it('a resource:* grant passes every guard of that resource and no other resource’s', async () => {
    const { session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const resource = `wild${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;
    // `users:*` as a permission row (created through the API), held by a role of its own.
    const wildcard = await api('/api/permissions', { method: 'POST', token, body: { resource: 'users', action: '*' } });
    expect([201, 409]).toContain(wildcard.status);
    const { session } = await userWithPermissions(token, ['users:*']);
    expect(session.user.permissions).toEqual(['users:*']);
    expect((await api('/api/users?limit=1', { token: session.accessToken })).status).toBe(200);
    // A user holding nothing (so containment allows the change): read, update, revoke sessions.
    const target = await userWithPermissions(token, []);
    expect((await api(`/api/users/${target.user.id}`, { token: session.accessToken })).status).toBe(200);
    const updated = await api(`/api/users/${target.user.id}`, { method: 'PATCH', token: session.accessToken, body: { bio: `by ${resource}` } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect((await api(`/api/users/${target.user.id}/sessions`, { method: 'DELETE', token: session.accessToken })).status).toBe(200);
    // A neighbouring resource is not covered.
    expectError(await api('/api/roles', { token: session.accessToken }), 403, 'FORBIDDEN');
    expectError(await api('/api/audit-logs', { token: session.accessToken }), 403, 'FORBIDDEN');
    expectError(await api('/api/permissions', { token: session.accessToken }), 403, 'FORBIDDEN');
  });

  it('an expired or deactivated grant gives nothing', async () => {
    const { session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const role = await createRoleWith(token, ['users:read'], 'grant');
    const expired = await registerUser();
    const inactive = await registerUser();
    const live = await registerUser();
    for (const u of [expired, inactive, live]) expect((await api(`/api/users/${u.id}/roles`, { method: 'POST', token, body: { roleId: role.id } })).status).toBe(200);
    // No operation gives a grant an expiry or deactivates it (the columns come from the original schema).
    await sql("update user_roles set expires_at = now() - interval '1 minute' where user_id = $1 and role_id = $2", [expired.id, role.id]);
    await sql('update user_roles set is_active = false where user_id = $1 and role_id = $2', [inactive.id, role.id]);
    for (const u of [expired, inactive]) {
      const session = await loginAs(u.email, u.password);
      expect(session.user.permissions, u.email).not.toContain('users:read');
      expectError(await api('/api/users?limit=1', { token: session.accessToken }), 403, 'FORBIDDEN');
    }
    const session = await loginAs(live.email, live.password);
    expect((await api('/api/users?limit=1', { token: session.accessToken })).status).toBe(200);
  });

  it('an API key stops working at once when its owner is suspended, soft-deleted or purged', async () => {
    const { session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const owners = [];
    for (let i = 0; i < 3; i++) owners.push(await userWithPermissions(token, ['users:read', 'api_keys:create']));
    const keys = [];
    for (const owner of owners) {
      const { key } = await createApiKey(owner.session.accessToken, ['users:read']);
      expect((await api('/api/users?limit=1', { headers: { 'X-API-Key': key } })).status).toBe(200);
      keys.push(key);
    }
    expect((await api(`/api/users/${owners[0]!.user.id}/status`, { method: 'PUT', token, body: { status: 'suspended' } })).status).toBe(200);
    expect((await api(`/api/users/${owners[1]!.user.id}`, { method: 'DELETE', token })).status).toBe(200);
    expect((await api(`/api/users/${owners[2]!.user.id}/permanent`, { method: 'DELETE', token })).status).toBe(200);
    const answers = [];
    for (const key of keys) answers.push(refusal(await api('/api/users?limit=1', { headers: { 'X-API-Key': key } })));
    expect(answers).toEqual(['401 UNAUTHORIZED', '401 UNAUTHORIZED', '401 UNAUTHORIZED']);
  });

  it('an administrator cannot change their own status, and stays signed in', async () => {
    const { user, session } = await signedInAdmin();
    for (const status of ['suspended', 'inactive', 'active']) {
      const res = await api(`/api/users/${user.id}/status`, { method: 'PUT', token: session.accessToken, body: { status } });
      expectError(res, 403, 'FORBIDDEN');
      expect(await sql("select 1 from audit_logs where metadata->>'requestId' = $1 and action = 'update' and entity_type = 'user'", [res.requestId])).toHaveLength(0);
    }
    const [row] = await sql<{ status: string }>('select status from users where id = $1', [user.id]);
    expect(row!.status).not.toBe('suspended');
    expect((await api('/api/auth/me', { token: session.accessToken })).status).toBe(200);
  });

  it('a permanent delete frees the email and the username; a soft delete keeps them', async () => {
    const { session: admin } = await signedInAdmin();
    const user = await registerUser();
    const again = { email: user.email, username: user.username, password: newPassword(), firstName: 'Second', lastName: 'Life' };
    expect((await api(`/api/users/${user.id}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    expectError(await api('/api/auth/register', { method: 'POST', body: again }), 409, 'EMAIL_ALREADY_EXISTS');
    expectError(await api('/api/auth/register', { method: 'POST', body: { ...again, email: `x${user.email}` } }), 409, 'USERNAME_ALREADY_EXISTS');
    expect((await api(`/api/users/${user.id}/permanent`, { method: 'DELETE', token: admin.accessToken })).status).toBe(200);
    const registered = await api('/api/auth/register', { method: 'POST', body: again });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body.data.id).not.toBe(user.id);
    expect((await loginAs(again.email, again.password)).user.id).toBe(registered.body.data.id);
  });

  it('authentication falls back to the session row when KV fails: live sessions pass, revoked ones do not', async () => {
    const { user, session } = await signedInUser();
    const other = await loginAs(user.email, user.password);
    const outage = { 'X-Test-KV-Outage': '1' };
    expect((await api('/api/auth/me', { token: session.accessToken, headers: outage })).status).toBe(200);
    expect((await api(`/api/auth/sessions/${other.sessionId}`, { method: 'DELETE', token: session.accessToken })).status).toBe(200);
    // The revocation marker is in KV, which now fails: the session row says revoked.
    expectError(await api('/api/auth/me', { token: other.accessToken, headers: outage }), 401, 'UNAUTHORIZED');
    expect((await api('/api/auth/me', { token: session.accessToken, headers: outage })).status).toBe(200);
  });
});
