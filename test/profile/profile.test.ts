import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, registerUser, signedInAdmin, signedInUser, sql, userWithPermissions } from '../harness';

describe('GET /api/users/profile', () => {
  it('returns the spec’s UserProfile with roles, permissions and default preferences, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const res = await api('/api/users/profile', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: user.id,
      email: user.email,
      firstName: 'Test',
      lastName: 'User',
      avatar: null,
      role: { name: 'user' },
      roles: ['user'],
      status: 'pending',
      emailVerified: false,
      twoFactorEnabled: false,
      bio: null,
      timezone: 'UTC',
      language: 'en',
      dateOfBirth: null,
      phone: null,
      preferences: { scheme: 'light', layout: 'classic', navigation: { collapsed: false }, notifications: { email: true, types: { marketing: false } } },
    });
    expect(res.body.data.permissions).toContain('profile:read');
    expect(res.body.data.preferences.theme).toEqual(expect.any(String));
    expect(res.body.data).not.toHaveProperty('password');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('needs a token and profile:read', async () => {
    expectError(await api('/api/users/profile'), 401, 'UNAUTHORIZED');
    expectError(await api('/api/users/profile', { method: 'PUT', body: { name: 'x' } }), 401, 'UNAUTHORIZED');
    // A user whose only role holds nothing (roles assigned and revoked through the API).
    const { session } = await userWithPermissions((await signedInAdmin()).session.accessToken, []);
    const token = session.accessToken;
    expectError(await api('/api/users/profile', { token }), 403, 'FORBIDDEN');
    expectError(await api('/api/users/profile', { method: 'PUT', token, body: { name: 'x' } }), 403, 'FORBIDDEN');
  });
});

describe('PUT /api/users/profile', () => {
  it('changes only the given editable fields in one round trip, with an audit row holding old and new values', async () => {
    const { user, session } = await signedInUser();
    const body = { name: 'Jane Q. Test', bio: 'Hello', timezone: 'Asia/Bangkok', language: 'th', dateOfBirth: '1990-04-12', phone: '+66 2 123 4567' };
    const res = await api('/api/users/profile', { method: 'PUT', token: session.accessToken, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ ...body, id: user.id, firstName: 'Test', lastName: 'User', email: user.email });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    // The answer is the whole profile as GET now returns it (roles, permissions, preferences included).
    const read = await api('/api/users/profile', { token: session.accessToken });
    expect(read.body.data).toMatchObject(body);
    expect(res.body.data).toEqual(read.body.data);

    const [audit] = await sql<{ old_values: string; new_values: string; action: string }>(
      "select action, old_values, new_values from audit_logs where entity_type = 'user' and entity_id = $1 and user_id = $1::uuid and action = 'update'",
      [user.id],
    );
    expect(audit!.action).toBe('update');
    expect(JSON.parse(audit!.old_values)).toEqual({ name: 'Test User', bio: null, timezone: 'UTC', language: 'en', dateOfBirth: null, phone: null });
    expect(JSON.parse(audit!.new_values)).toEqual(body);

    const cleared = await api('/api/users/profile', { method: 'PUT', token: session.accessToken, body: { bio: null, phone: null } });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body.data).toMatchObject({ bio: null, phone: null, name: 'Jane Q. Test', timezone: 'Asia/Bangkok' });
    expect(cleared.body.data).toEqual((await api('/api/users/profile', { token: session.accessToken })).body.data);
    const [stored] = await sql<{ bio: string | null; phone: string | null; name: string }>('select bio, phone, name from users where id = $1', [user.id]);
    expect(stored).toEqual({ bio: null, phone: null, name: 'Jane Q. Test' });
  });

  it('rejects mass assignment and invalid values, and changes nothing', async () => {
    const { user, session } = await signedInUser();
    const token = session.accessToken;
    const attempts = [
      { status: 'active' },
      { roles: ['admin'] },
      { email: 'other@example.test' },
      { name: 'Ok', emailVerified: true },
      { name: 'Ok', password: 'new-password-123' },
      { id: crypto.randomUUID() },
      { timezone: 'Mars/Olympus_Mons' },
      { timezone: '+05:00' },
      { language: 'eng' },
      { language: 'EN' },
      { dateOfBirth: '2999-01-01' },
      { dateOfBirth: '12/04/1990' },
      { phone: 'call me' },
      { firstName: '' },
      { name: 'x'.repeat(101) },
      { bio: 'nul \u0000 byte' },
      {},
    ];
    for (const body of attempts) {
      const res = await api('/api/users/profile', { method: 'PUT', token, body });
      expectError(res, 400, 'VALIDATION_ERROR');
    }
    const [row] = await sql<{ status: string; email: string; timezone: string; name: string }>('select status, email, timezone, name from users where id = $1', [user.id]);
    expect(row).toEqual({ status: 'pending', email: user.email, timezone: 'UTC', name: 'Test User' });
    expect(await sql("select 1 from audit_logs where entity_type = 'user' and entity_id = $1 and action = 'update'", [user.id])).toHaveLength(0);
  });

  it('only ever touches the caller’s own row', async () => {
    const other = await registerUser();
    const { user, session } = await signedInUser();
    const res = await api('/api/users/profile', { method: 'PUT', token: session.accessToken, body: { bio: 'mine' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, email: user.email, bio: 'mine' });
    const rows = await sql<{ id: string; bio: string | null }>('select id, bio from users where id in ($1, $2) order by id = $1 desc', [user.id, other.id]);
    expect(rows).toEqual([{ id: user.id, bio: 'mine' }, { id: other.id, bio: null }]);
  });
});
