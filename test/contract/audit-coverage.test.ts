import { describe, expect, it } from 'vitest';
import { api, loginAs, newPassword, randomIdentity, registerUser, signedInAdmin, signedInUser, sql, type ApiResponse } from '../harness';

/** Strings that must never appear in an audit row. */
const secrets: string[] = [];

async function expectOneAuditRow(res: ApiResponse, expected: { entityType: string; action: string }) {
  expect(res.status, `${JSON.stringify(res.body)}`).toBeLessThan(300);
  const rows = await sql<{ entity_type: string; action: string; row: string }>(
    "select entity_type, action, row_to_json(a)::text as row from audit_logs a where metadata->>'requestId' = $1",
    [res.requestId],
  );
  expect(rows.map((r) => `${r.entity_type} ${r.action}`), res.requestId).toEqual([`${expected.entityType} ${expected.action}`]);
  for (const secret of secrets) expect(rows[0]!.row).not.toContain(secret);
  expect(rows[0]!.row).not.toMatch(/\$2[aby]\$\d\d\$/);
}

describe('the audit trail covers every mutation', () => {
  it('writes exactly one audit row per change, with secrets redacted', async () => {
    const { user: adminUser, session: admin } = await signedInAdmin();
    const token = admin.accessToken;
    const identity = randomIdentity('aud');
    const password = newPassword();
    secrets.push(password, admin.refreshToken, admin.accessToken);

    const register = await api('/api/auth/register', { method: 'POST', body: { ...identity, password, firstName: 'Audit', lastName: 'Trail' } });
    await expectOneAuditRow(register, { entityType: 'user', action: 'create' });
    const userId = register.body.data.id;
    const login = await api('/api/auth/login', { method: 'POST', body: { email: identity.email, password } });
    secrets.push(login.body.data.refreshToken, login.body.data.accessToken);
    await expectOneAuditRow(login, { entityType: 'user', action: 'login' });
    const other = await loginAs(identity.email, password);
    await expectOneAuditRow(await api(`/api/auth/sessions/${other.sessionId}`, { method: 'DELETE', token: login.body.data.accessToken }), { entityType: 'user_session', action: 'delete' });

    const created = await api('/api/users', { method: 'POST', token, body: { ...randomIdentity('aud'), password: newPassword(), firstName: 'Made', lastName: 'ByAdmin' } });
    await expectOneAuditRow(created, { entityType: 'user', action: 'create' });
    const managed = created.body.data.id;
    await expectOneAuditRow(await api(`/api/users/${managed}`, { method: 'PATCH', token, body: { bio: 'x' } }), { entityType: 'user', action: 'update' });
    await expectOneAuditRow(await api(`/api/users/${managed}/status`, { method: 'PUT', token, body: { status: 'suspended' } }), { entityType: 'user', action: 'update' });
    await expectOneAuditRow(await api(`/api/users/${managed}`, { method: 'DELETE', token }), { entityType: 'user', action: 'delete' });
    await expectOneAuditRow(await api(`/api/users/${managed}/restore`, { method: 'POST', token }), { entityType: 'user', action: 'update' });
    await expectOneAuditRow(await api(`/api/users/${managed}/sessions`, { method: 'DELETE', token }), { entityType: 'user_session', action: 'delete' });

    const role = await api('/api/roles', { method: 'POST', token, body: { name: `aud-${crypto.randomUUID().slice(0, 8)}`, permissions: ['dashboard:view'] } });
    await expectOneAuditRow(role, { entityType: 'role', action: 'create' });
    const roleId = role.body.data.id;
    await expectOneAuditRow(await api(`/api/roles/${roleId}`, { method: 'PATCH', token, body: { description: 'audited' } }), { entityType: 'role', action: 'update' });
    await expectOneAuditRow(await api(`/api/roles/${roleId}/permissions`, { method: 'POST', token, body: { permissions: ['users:read'] } }), { entityType: 'role', action: 'update' });
    await expectOneAuditRow(await api(`/api/users/${userId}/roles`, { method: 'POST', token, body: { roleId } }), { entityType: 'user_role', action: 'create' });
    await expectOneAuditRow(await api(`/api/users/${userId}/roles/${roleId}`, { method: 'DELETE', token }), { entityType: 'user_role', action: 'delete' });
    await expectOneAuditRow(await api(`/api/roles/${roleId}`, { method: 'DELETE', token }), { entityType: 'role', action: 'delete' });
    const permission = await api('/api/permissions', { method: 'POST', token, body: { resource: `aud${crypto.randomUUID().slice(0, 6)}`, action: 'read' } });
    await expectOneAuditRow(permission, { entityType: 'permission', action: 'create' });
    await expectOneAuditRow(await api(`/api/permissions/${permission.body.data.id}`, { method: 'DELETE', token }), { entityType: 'permission', action: 'delete' });

    const key = await api('/api/api-keys', { method: 'POST', token, body: { name: 'audited', scopes: ['users:read'] } });
    secrets.push(key.body.data.key);
    await expectOneAuditRow(key, { entityType: 'api_key', action: 'create' });
    const rotated = await api(`/api/api-keys/${key.body.data.id}/rotate`, { method: 'POST', token });
    secrets.push(rotated.body.data.key);
    await expectOneAuditRow(rotated, { entityType: 'api_key', action: 'update' });
    await expectOneAuditRow(await api(`/api/api-keys/${key.body.data.id}`, { method: 'DELETE', token }), { entityType: 'api_key', action: 'update' });

    await api('/api/auth/login', { method: 'POST', body: { email: identity.email, password: 'wrong-password' } });
    const [event] = await sql<{ id: string }>("select id from session_security_events where user_id = $1 and event_type = 'failed_login'", [userId]);
    await expectOneAuditRow(await api(`/api/security-events/${event!.id}/resolve`, { method: 'POST', token }), { entityType: 'security_event', action: 'update' });

    const navKey = `aud-${crypto.randomUUID().slice(0, 8)}`;
    await expectOneAuditRow(await api('/api/navigation/items', { method: 'POST', token, body: { key: navKey, title: 'Audited', type: 'item', link: '/audited' } }), { entityType: 'navigation_item', action: 'create' });
    await expectOneAuditRow(await api(`/api/navigation/items/${navKey}`, { method: 'PATCH', token, body: { title: 'Audited again' } }), { entityType: 'navigation_item', action: 'update' });
    await expectOneAuditRow(await api(`/api/navigation/preferences/${navKey}`, { method: 'PUT', token, body: { pinned: true } }), { entityType: 'navigation_preference', action: 'update' });
    await expectOneAuditRow(await api(`/api/navigation/items/${navKey}`, { method: 'DELETE', token }), { entityType: 'navigation_item', action: 'delete' });

    const { session } = await signedInUser();
    secrets.push(session.refreshToken);
    await expectOneAuditRow(await api('/api/auth/logout', { method: 'POST', token: session.accessToken }), { entityType: 'user_session', action: 'logout' });
    await expectOneAuditRow(await api(`/api/users/${managed}/permanent`, { method: 'DELETE', token }), { entityType: 'user', action: 'delete' });
    expect(adminUser.id).toBeTruthy();
  });

  it('covers profile, preferences, settings, themes, system settings, templates and notifications', async () => {
    const { user, session } = await signedInAdmin();
    const token = session.accessToken;
    const tag = crypto.randomUUID().slice(0, 8);
    await expectOneAuditRow(await api('/api/users/profile', { method: 'PUT', token, body: { bio: 'audited bio' } }), { entityType: 'user', action: 'update' });
    await expectOneAuditRow(await api('/api/users/preferences', { method: 'PUT', token, body: { scheme: 'dark' } }), { entityType: 'user_preferences', action: 'update' });
    const setting = await api('/api/system-settings', { method: 'POST', token, body: { category: 'audit', key: `k${tag}`, value: 3, dataType: 'number' } });
    await expectOneAuditRow(setting, { entityType: 'system_setting', action: 'create' });
    await expectOneAuditRow(await api(`/api/system-settings/${setting.body.data.id}`, { method: 'DELETE', token }), { entityType: 'system_setting', action: 'delete' });
    const theme = await api('/api/admin/themes', { method: 'POST', token, body: { name: `audit-${tag}`, displayName: 'Audit' } });
    await expectOneAuditRow(theme, { entityType: 'theme', action: 'create' });
    await expectOneAuditRow(await api(`/api/admin/themes/${theme.body.data.id}`, { method: 'DELETE', token }), { entityType: 'theme', action: 'delete' });
    const sent = await api('/api/notifications', { method: 'POST', token, body: { userId: user.id, type: 'updates', title: 'Audited', message: 'Hello' } });
    expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
    const rows = await sql<{ n: string }>("select count(*) as n from audit_logs where metadata->>'requestId' = $1", [sent.requestId]);
    expect(Number(rows[0]!.n)).toBe(1);
    const notificationId = sent.body.data.notifications[0].id;
    await expectOneAuditRow(await api(`/api/notifications/${notificationId}`, { method: 'PATCH', token, body: { read: true } }), { entityType: 'notification', action: 'update' });
    await expectOneAuditRow(await api('/api/notifications/read-all', { method: 'POST', token }), { entityType: 'notification', action: 'update' });
    await expectOneAuditRow(await api(`/api/notifications/${notificationId}`, { method: 'DELETE', token }), { entityType: 'notification', action: 'delete' });
  });

  it('records the source from the actor type or X-Client-Source', async () => {
    const user = await registerUser();
    const mobile = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, headers: { 'X-Client-Source': 'mobile' } });
    const [row] = await sql<{ source: string }>("select source from audit_logs where metadata->>'requestId' = $1", [mobile.requestId]);
    expect(row!.source).toBe('mobile');
    const { session } = await signedInAdmin();
    const key = (await api('/api/api-keys', { method: 'POST', token: session.accessToken, body: { name: 'src', scopes: ['roles:create'] } })).body.data.key;
    const viaKey = await api('/api/roles', { method: 'POST', headers: { 'X-API-Key': key }, body: { name: `src-${crypto.randomUUID().slice(0, 8)}` } });
    expect(viaKey.status).toBe(201);
    const [apiRow] = await sql<{ source: string }>("select source from audit_logs where metadata->>'requestId' = $1", [viaKey.requestId]);
    expect(apiRow!.source).toBe('api');
  });
});
