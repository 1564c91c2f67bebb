import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, randomIp, registerUser, seededAdmin, sql, userWithPermissions } from '../harness';
import { signInStatus, throttleFrom, throttleInDatabase, throttleRow } from './helpers';

describe('POST /api/users/{id}/unlock', () => {
  it('clears the throttling in one batch with its audit row, so the owner can sign in again at once', async () => {
    const admin = await seededAdmin();
    const user = await registerUser();
    const ip = randomIp();
    await throttleFrom(user, ip);
    const known = '2001:db8:5:6::/64';
    const lastSuccessAt = new Date(Date.now() - 3_600_000);
    await throttleRow(user.id, known, { failedAttempts: 3, lastFailedAt: new Date(), lastSuccessAt });
    await throttleRow(user.id, '198.51.100.20', { failedAttempts: 9, lastFailedAt: new Date(), blockedUntil: new Date(Date.now() + 3_600_000) });
    await sql("update users set locked_until = now() + interval '1 hour', failed_login_attempts = 25, last_failed_login_at = now() where id = $1", [user.id]);

    const res = await api(`/api/users/${user.id}/unlock`, { method: 'POST', token: admin.accessToken });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toEqual({
      userId: user.id, throttled: false, locked: false, lockedUntil: null, failedLoginAttempts: 0, lastFailedLoginAt: null,
      sources: [{ source: known, failedAttempts: 0, lastFailedAt: null, blockedUntil: null, blocked: false, lastSuccessAt: lastSuccessAt.toISOString(), known: true }],
      sourcesTotal: 1,
    });
    // What it answered is what is stored: sources never signed in from are forgotten, known ones stay known.
    expect(res.body.data).toEqual(await throttleInDatabase(user.id));
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 7 });

    const audits = await sql<{ old_values: string; new_values: string }>(
      "select old_values, new_values from audit_logs where entity_type = 'user' and entity_id = $1 and action = 'update' and description = 'Login throttling cleared by an administrator'",
      [user.id],
    );
    expect(audits).toHaveLength(1);
    const old = JSON.parse(audits[0]!.old_values);
    expect(old).toMatchObject({ failedLoginAttempts: 25, lockedUntil: expect.any(String) });
    // The source blocked here (and, depending on the login throttle, the one the failures came from).
    expect(old.blockedSources).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(audits[0]!.new_values)).toEqual({ lockedUntil: null, failedLoginAttempts: 0 });

    expect(await signInStatus(user, ip)).toBe(200);
  });

  it('lets a delegated administrator unlock an ordinary user, never an account holding more than they do', async () => {
    const admin = await seededAdmin();
    // Holding what ordinary users hold (the `user` role), plus the administration of users.
    const userRole = await sql<{ name: string }>(
      "select p.resource || ':' || p.action as name from roles r join role_permissions rp on rp.role_id = r.id join permissions p on p.id = rp.permission_id where r.name = 'user'",
    );
    const delegated = await userWithPermissions(admin.accessToken, [...userRole.map((p) => p.name), 'users:read', 'users:update']);
    const ordinary = await registerUser();
    const ip = randomIp();
    await throttleFrom(ordinary, ip);
    expect((await api(`/api/users/${ordinary.id}/unlock`, { method: 'POST', token: delegated.session.accessToken })).status).toBe(200);
    expect(await signInStatus(ordinary, ip)).toBe(200);

    const administrator = await registerUser();
    await api(`/api/users/${administrator.id}/roles`, { method: 'POST', token: admin.accessToken, body: { roleId: (await sql<{ id: string }>("select id from roles where name = 'admin'"))[0]!.id } });
    await throttleRow(administrator.id, '198.51.100.30', { failedAttempts: 9, lastFailedAt: new Date(), blockedUntil: new Date(Date.now() + 3_600_000) });
    const before = await throttleInDatabase(administrator.id);
    const refused = await api(`/api/users/${administrator.id}/unlock`, { method: 'POST', token: delegated.session.accessToken });
    expectError(refused, 403, 'PROTECTED_TARGET');
    expect(await throttleInDatabase(administrator.id)).toEqual(before);
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Login throttling cleared by an administrator'", [administrator.id])).toHaveLength(0);
  });

  it('answers 404 for an unknown user, writing nothing', async () => {
    const admin = await seededAdmin();
    const id = crypto.randomUUID();
    expectError(await api(`/api/users/${id}/unlock`, { method: 'POST', token: admin.accessToken }), 404, 'NOT_FOUND');
    expect(await sql('select 1 from audit_logs where entity_id = $1', [id])).toHaveLength(0);
  });
});
