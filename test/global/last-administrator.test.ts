import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectError, loginAs, newPassword, randomIdentity, seededAdmin, sql, type ApiResponse } from '../harness';

/*
 * The system always keeps one active user holding *:*. Global state (who administers the system),
 * so this runs in the serial project: the set-up suspends every other active administrator left by
 * earlier tests, through the API, so that the seeded administrator is the only one.
 */

/** The seeded administrator: the target here (being suspended revokes its sessions, so it never acts after the set-up). */
let seeded: { id: string; token: string };
let adminRoleId: string;
/** A pending (not yet active) administrator: holds *:*, but does not count as an active one. */
let pending: { id: string; token: string };

const activeAdministrators = async () =>
  (
    await sql<{ id: string }>(`select distinct u.id from users u join user_roles ur on ur.user_id = u.id
      join role_permissions rp on rp.role_id = ur.role_id join permissions p on p.id = rp.permission_id
      where p.resource = '*' and p.action = '*' and u.status = 'active' and u.deleted_at is null and u.is_active is not false
        and ur.is_active is not false and (ur.expires_at is null or ur.expires_at > now())`)
  ).map((r) => r.id);

async function newActiveAdministrator(): Promise<string> {
  const res = await api('/api/users', { method: 'POST', token: pending.token, body: { ...randomIdentity('adm'), password: newPassword(), firstName: 'Second', lastName: 'Admin', roles: ['admin'], status: 'active', emailVerified: true } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id;
}

const setStatus = (token: string, id: string, status: string) => api(`/api/users/${id}/status`, { method: 'PUT', token, body: { status } });

beforeAll(async () => {
  const login = await seededAdmin();
  seeded = { id: login.user.id, token: login.accessToken };
  adminRoleId = (await sql<{ id: string }>("select id from roles where name = 'admin'"))[0]!.id;
  for (const id of await activeAdministrators()) {
    if (id !== seeded.id) expect((await setStatus(seeded.token, id, 'suspended')).status).toBe(200);
  }
  expect(await activeAdministrators()).toEqual([seeded.id]);
  // Created by the seeded administrator as a `pending` (not yet verified) administrator.
  const identity = { ...randomIdentity('pending'), password: newPassword() };
  const created = await api('/api/users', { method: 'POST', token: seeded.token, body: { ...identity, firstName: 'Pending', lastName: 'Admin', roles: ['admin'], status: 'pending' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  pending = { id: created.body.data.id, token: (await loginAs(identity.email, identity.password)).accessToken };
});

describe('the last administrator', () => {
  it('cannot lose *:* from the admin role, be suspended, deactivated, deleted, purged or lose the admin role', async () => {
    const token = pending.token;
    const attempts: [string, Promise<ApiResponse>][] = [
      ['replace the admin role’s permissions', api(`/api/roles/${adminRoleId}/permissions`, { method: 'PUT', token, body: { permissions: [] } })],
      ['revoke *:* from the admin role', api(`/api/roles/${adminRoleId}/permissions`, { method: 'DELETE', token, body: { permissions: ['*:*'] } })],
      ['suspend', setStatus(token, seeded.id, 'suspended')],
      ['deactivate', setStatus(token, seeded.id, 'inactive')],
      ['soft-delete', api(`/api/users/${seeded.id}`, { method: 'DELETE', token })],
      ['purge', api(`/api/users/${seeded.id}/permanent`, { method: 'DELETE', token })],
      ['revoke the admin role', api(`/api/users/${seeded.id}/roles/${adminRoleId}`, { method: 'DELETE', token })],
    ];
    for (const [what, attempt] of attempts) {
      const res = await attempt;
      expect(res.status, what).toBe(409);
      expectError(res, 409, 'LAST_ADMINISTRATOR');
    }
    expect(await activeAdministrators()).toEqual([seeded.id]);
    expect((await sql("select 1 from role_permissions rp join permissions p on p.id = rp.permission_id where rp.role_id = $1 and p.resource = '*' and p.action = '*'", [adminRoleId]))).toHaveLength(1);
    const refusals = await sql("select 1 from session_security_events where user_id = $1 and event_type = 'authorization_refused' and event_data->>'code' = 'LAST_ADMINISTRATOR'", [pending.id]);
    expect(refusals).toHaveLength(attempts.length);
  });

  it('can be changed once another active administrator exists', async () => {
    const second = await newActiveAdministrator();
    expect((await setStatus(pending.token, seeded.id, 'suspended')).status).toBe(200);
    expect(await activeAdministrators()).toEqual([second]);
    expectError(await setStatus(pending.token, second, 'suspended'), 409, 'LAST_ADMINISTRATOR');
    expect((await setStatus(pending.token, seeded.id, 'active')).status).toBe(200);
    expect((await setStatus(pending.token, second, 'suspended')).status).toBe(200);
    expect(await activeAdministrators()).toEqual([seeded.id]);
  });

  it('is decided inside each change’s batch: of two concurrent suspensions of the last two, exactly one succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const second = await newActiveAdministrator();
      const results = await Promise.all([setStatus(pending.token, seeded.id, 'suspended'), setStatus(pending.token, second, 'suspended')]);
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      const remaining = await activeAdministrators();
      expect(remaining).toHaveLength(1);
      if (remaining[0] !== seeded.id) expect((await setStatus(pending.token, seeded.id, 'active')).status).toBe(200);
      expect((await setStatus(pending.token, second, 'suspended')).status).toBe(200);
      expect(await activeAdministrators()).toEqual([seeded.id]);
    }
  });
});
