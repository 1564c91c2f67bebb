import { beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../account-security/helpers';
import { api, createApiKey, createRoleWith, expectError, loginAs, newPassword, randomIdentity, registerUser, signedInAdmin, sql, userWithPermissions } from '../harness';

/*
 * Each escalation path an attacker tried (issue 13), refused: a user holding one delegated admin
 * permission, or an API key with one scope, cannot become an administrator or take one over.
 */

/** The permissions of the seeded `user` role: a delegated admin who also holds these can administer ordinary users. */
const USER_ROLE = ['profile:read', 'profile:update', 'profile:avatar', 'profile:preferences', 'profile:security', 'profile:activity', 'navigation:view', 'dashboard:view', 'settings:view', 'settings:update', 'settings:theme', 'settings:notifications', 'sessions:read', 'sessions:update', 'sessions:delete', 'api_keys:create', 'api_keys:read', 'api_keys:update', 'api_keys:delete', 'notifications:read', 'notifications:update', 'notifications:delete'];

let adminToken: string;
let adminRoleId: string;
let victim: { id: string; email: string; password: string; token: string };

const roleIdsOf = async (userId: string) => (await sql<{ name: string }>('select r.name from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = $1 order by r.name', [userId])).map((r) => r.name);

/** The refusal left an audit row and a security event for the caller. */
async function expectRefusalRecorded(userId: string, code: string) {
  const audit = await sql('select 1 from audit_logs where user_id = $1 and description like $2', [userId, `Refused (${code})%`]);
  expect(audit.length, `audit rows for ${code}`).toBeGreaterThan(0);
  const events = await sql("select 1 from session_security_events where user_id = $1 and event_type = 'authorization_refused' and event_data->>'code' = $2", [userId, code]);
  expect(events.length, `security events for ${code}`).toBeGreaterThan(0);
}

beforeAll(async () => {
  const admin = await signedInAdmin();
  adminToken = admin.session.accessToken;
  adminRoleId = (await sql<{ id: string }>("select id from roles where name = 'admin'"))[0]!.id;
  // Another administrator, the target of the takeover attempts.
  const target = await signedInAdmin();
  victim = { id: target.user.id, email: target.user.email, password: target.user.password, token: target.session.accessToken };
});

describe('grant containment', () => {
  it('a user holding roles:update cannot give themselves (or anyone) the admin role, only roles within their own permissions', async () => {
    const { user, session } = await userWithPermissions(adminToken, ['roles:update', 'roles:read']);
    const self = await api(`/api/users/${user.id}/roles`, { method: 'POST', token: session.accessToken, body: { roleId: adminRoleId } });
    expectError(self, 403, 'PERMISSION_ESCALATION');
    const other = await registerUser();
    expectError(await api(`/api/users/${other.id}/roles`, { method: 'POST', token: session.accessToken, body: { roleId: adminRoleId } }), 403, 'PERMISSION_ESCALATION');
    expect(await roleIdsOf(user.id)).not.toContain('admin');
    expect(await roleIdsOf(other.id)).not.toContain('admin');
    expect((await api('/api/auth/me', { token: session.accessToken })).body.data.permissions).toEqual(['roles:read', 'roles:update']);
    await expectRefusalRecorded(user.id, 'PERMISSION_ESCALATION');

    // A role inside the caller's permissions can be given to a user who holds nothing more.
    const narrow = await createRoleWith(adminToken, ['roles:read']);
    const bare = await userWithPermissions(adminToken, []);
    expect((await api(`/api/users/${bare.user.id}/roles`, { method: 'POST', token: session.accessToken, body: { roleId: narrow.id } })).status).toBe(200);
    expect(await roleIdsOf(bare.user.id)).toContain(narrow.name);
  });

  it('a user holding users:create cannot create an administrator', async () => {
    const { user, session } = await userWithPermissions(adminToken, ['users:create', 'users:read', ...USER_ROLE]);
    const identity = randomIdentity('esc');
    const res = await api('/api/users', { method: 'POST', token: session.accessToken, body: { ...identity, password: newPassword(), firstName: 'Evil', lastName: 'Twin', roles: ['admin'], status: 'active', emailVerified: true } });
    expectError(res, 403, 'PERMISSION_ESCALATION');
    expect(await sql('select 1 from users where email = $1', [identity.email])).toHaveLength(0);
    await expectRefusalRecorded(user.id, 'PERMISSION_ESCALATION');
    // The `user` role is within the caller's permissions.
    const ok = await api('/api/users', { method: 'POST', token: session.accessToken, body: { ...randomIdentity('esc'), password: newPassword(), firstName: 'Fine', lastName: 'User', roles: ['user'], status: 'active', emailVerified: true } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('a user holding permissions:assign cannot grant *:* (or any permission they lack) to their own role', async () => {
    const { role, session } = await userWithPermissions(adminToken, ['permissions:assign', 'roles:create', 'roles:read']);
    for (const [method, permissions] of [['POST', ['*:*']], ['POST', ['users:delete']], ['PUT', ['permissions:assign', 'roles:create', 'roles:read', '*:*']]] as const) {
      const res = await api(`/api/roles/${role.id}/permissions`, { method, token: session.accessToken, body: { permissions } });
      expectError(res, 403, 'PERMISSION_ESCALATION');
      expect(res.body.error.details.map((d: { message: string }) => d.message).join()).toMatch(/You do not hold/);
    }
    const held = await sql<{ name: string }>("select p.resource || ':' || p.action as name from role_permissions rp join permissions p on p.id = rp.permission_id where rp.role_id = $1 order by 1", [role.id]);
    expect(held.map((p) => p.name)).toEqual(['permissions:assign', 'roles:create', 'roles:read']);
    // Nor change the admin role, which holds more than they do.
    expectError(await api(`/api/roles/${adminRoleId}/permissions`, { method: 'DELETE', token: session.accessToken, body: { permissions: ['*:*'] } }), 403, 'PROTECTED_TARGET');
    // Nor create a role with more than they hold.
    const name = `esc_${crypto.randomUUID().slice(0, 8)}`;
    expectError(await api('/api/roles', { method: 'POST', token: session.accessToken, body: { name, permissions: ['*:*'] } }), 403, 'PERMISSION_ESCALATION');
    expect(await sql('select 1 from roles where name = $1', [name])).toHaveLength(0);
  });
});

describe('protected targets', () => {
  it('a user holding users:update (and users:delete) cannot change, suspend, sign out or delete an administrator', async () => {
    const { user, session } = await userWithPermissions(adminToken, ['users:read', 'users:update', 'users:delete', ...USER_ROLE]);
    const token = session.accessToken;
    const attacker = randomIdentity('takeover');
    const attempts = [
      api(`/api/users/${victim.id}`, { method: 'PATCH', token, body: { email: attacker.email } }),
      api(`/api/users/${victim.id}`, { method: 'PATCH', token, body: { username: attacker.username } }),
      api(`/api/users/${victim.id}/status`, { method: 'PUT', token, body: { status: 'suspended' } }),
      api(`/api/users/${victim.id}/sessions`, { method: 'DELETE', token }),
      api(`/api/users/${victim.id}/avatar`, { method: 'DELETE', token }),
      api(`/api/users/${victim.id}`, { method: 'DELETE', token }),
      api(`/api/users/${victim.id}/permanent`, { method: 'DELETE', token }),
    ];
    for (const res of await Promise.all(attempts)) expectError(res, 403, 'PROTECTED_TARGET');
    const [row] = await sql<{ email: string; status: string; deleted_at: string | null }>('select email, status, deleted_at from users where id = $1', [victim.id]);
    expect(row).toEqual({ email: victim.email, status: 'active', deleted_at: null });
    expect((await api('/api/auth/me', { token: victim.token })).status).toBe(200);
    // The password-reset takeover needs the email first: forgot-password goes to the victim's own address.
    await api('/api/auth/forgot-password', { method: 'POST', body: { email: attacker.email } });
    expect(await outbox(attacker.email)).toHaveLength(0);
    await expectRefusalRecorded(user.id, 'PROTECTED_TARGET');

    // An ordinary user (holding no more than the caller) can be administered.
    const plain = await registerUser();
    expect((await api(`/api/users/${plain.id}`, { method: 'PATCH', token, body: { firstName: 'Changed' } })).status).toBe(200);
    expect((await api(`/api/users/${plain.id}/status`, { method: 'PUT', token, body: { status: 'suspended' } })).status).toBe(200);
  });

  it('an email changed by an administrator signs the user out, spends their links and tells the old address', async () => {
    const user = await registerUser();
    const session = await loginAs(user.email, user.password);
    await api('/api/auth/forgot-password', { method: 'POST', body: { email: user.email } });
    const [reset] = await outbox(user.email, 'password_reset');
    const resetToken = new URL(reset!.links.find((l) => l.includes('/auth/reset-password'))!).searchParams.get('token')!;

    const newEmail = randomIdentity('moved').email;
    const res = await api(`/api/users/${user.id}`, { method: 'PATCH', token: adminToken, body: { email: newEmail } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ email: newEmail, emailVerified: false });
    expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
    expect(await sql('select 1 from user_sessions where user_id = $1 and revoked_at is null', [user.id])).toHaveLength(0);
    expectError(await api('/api/auth/reset-password', { method: 'POST', body: { token: resetToken, newPassword: newPassword() } }), 400, 'INVALID_TOKEN');
    const notices = await outbox(user.email, 'email_changed_by_administrator');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(newEmail);
    // The same address again (any case) is not a change: nothing is revoked or sent.
    const again = await loginAs(newEmail, user.password);
    expect((await api(`/api/users/${user.id}`, { method: 'PATCH', token: adminToken, body: { email: newEmail.toUpperCase() } })).status).toBe(200);
    expect((await api('/api/auth/me', { token: again.accessToken })).status).toBe(200);
    expect(await outbox(user.email, 'email_changed_by_administrator')).toHaveLength(1);
  });
});

describe('API keys stay inside their scope', () => {
  it('a key scoped to profile:read cannot manage keys, mint keys, or read what its scope does not cover', async () => {
    const owner = await signedInAdmin();
    const token = owner.session.accessToken;
    const sibling = await createApiKey(token, ['*:*'], 'powerful');
    const narrow = await createApiKey(token, ['profile:read'], 'narrow');
    const asKey = (path: string, init: Parameters<typeof api>[1] = {}) => api(path, { ...init, headers: { 'X-API-Key': narrow.key } });

    expect((await asKey('/api/users/profile')).status).toBe(200);
    expectError(await asKey('/api/users'), 403, 'FORBIDDEN');
    expectError(await asKey('/api/api-keys'), 403, 'API_KEY_NOT_ALLOWED');
    expectError(await asKey(`/api/api-keys/${sibling.id}`), 403, 'API_KEY_NOT_ALLOWED');
    const rotate = await asKey(`/api/api-keys/${sibling.id}/rotate`, { method: 'POST' });
    expectError(rotate, 403, 'API_KEY_NOT_ALLOWED');
    expect(JSON.stringify(rotate.body)).not.toMatch(/ak_[0-9a-f]{8}_/);
    expectError(await asKey('/api/api-keys', { method: 'POST', body: { name: 'minted', scopes: ['profile:read'] } }), 403, 'API_KEY_NOT_ALLOWED');
    expectError(await asKey('/api/notifications'), 403, 'FORBIDDEN');
    expectError(await asKey('/api/navigation/preferences'), 403, 'FORBIDDEN');
    expectError(await asKey('/api/users/me/activity'), 403, 'FORBIDDEN');
    expectError(await asKey('/api/auth/sessions'), 403, 'API_KEY_NOT_ALLOWED');
    expectError(await asKey('/api/auth/me'), 403, 'API_KEY_NOT_ALLOWED');
    // The sibling still works with its old secret: nothing was rotated.
    expect((await api('/api/users', { headers: { 'X-API-Key': sibling.key } })).status).toBe(200);
    expect(await sql("select 1 from api_keys where user_id = $1", [owner.user.id])).toHaveLength(2);
    await expectRefusalRecorded(owner.user.id, 'API_KEY_NOT_ALLOWED');
  });

  it('a key acts only with what its owner still holds: it shrinks at once when the owner loses a permission', async () => {
    const { role, session } = await userWithPermissions(adminToken, ['users:read', 'api_keys:create']);
    const { key } = await createApiKey(session.accessToken, ['users:read']);
    const wide = await api('/api/users', { headers: { 'X-API-Key': key } });
    expect(wide.status).toBe(200);
    // The owner's role loses users:read: the cached key is re-resolved on its next use.
    expect((await api(`/api/roles/${role.id}/permissions`, { method: 'PUT', token: adminToken, body: { permissions: ['api_keys:create'] } })).status).toBe(200);
    expectError(await api('/api/users', { headers: { 'X-API-Key': key } }), 403, 'FORBIDDEN');
    // A key wider than its owner (here *:*, scoped when the owner was an admin) is cut to the owner's permissions.
    const admin = await signedInAdmin();
    const all = await createApiKey(admin.session.accessToken, ['*:*']);
    expect((await api(`/api/users/${admin.user.id}/roles`, { method: 'POST', token: adminToken, body: { roleId: role.id } })).status).toBe(200);
    expect((await api(`/api/users/${admin.user.id}/roles/${adminRoleId}`, { method: 'DELETE', token: adminToken })).status).toBe(200);
    expectError(await api('/api/users', { headers: { 'X-API-Key': all.key } }), 403, 'FORBIDDEN');
    expect((await api('/api/users/profile', { headers: { 'X-API-Key': all.key } })).status).toBe(200);
  });
});
