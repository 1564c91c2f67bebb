import { describe, expect, it } from 'vitest';
import { api, newPassword, randomIdentity, signedInAdmin, signedInUser, sql, type ApiResponse } from '../harness';

/**
 * Requests racing on the same rows: nothing lost, nothing duplicated, the uniqueness and rotation
 * rules hold, and every request gets a well-formed answer.
 */

/** Every answer is in the envelope and carries its own request id. */
function expectWellFormed(responses: ApiResponse[]) {
  for (const res of responses) {
    expect(typeof res.body, JSON.stringify(res.body)).toBe('object');
    expect(res.headers.get('x-request-id')).toBe(res.requestId);
    if (res.status < 400) {
      expect(res.body.success).toBe(true);
      expect(res.body.meta.requestId).toBe(res.requestId);
    } else {
      expect(res.body.success).toBe(false);
      expect(res.body.error.requestId).toBe(res.requestId);
    }
  }
}

const count = async (query: string, params: unknown[]) => Number((await sql<{ n: string }>(query, params))[0]!.n);

describe('parallel updates of one preferences row', () => {
  it('keeps every change when each request changes a different field', async () => {
    const { user, session } = await signedInUser();
    const auditBefore = await count("select count(*) as n from audit_logs where user_id = $1 and entity_type = 'user_preferences'", [user.id]);
    const changes = [
      { scheme: 'dark' },
      { layout: 'compact' },
      { language: 'th' },
      { timezone: 'Asia/Bangkok' },
      { dateFormat: 'YYYY-MM-DD' },
      { timeFormat: '24h' },
      { navigation: { type: 'compact' } },
      { notifications: { push: true } },
      { privacy: { profileVisibility: 'private' } },
      { accessibility: { fontSize: 'large' } },
      { performance: { animations: false } },
    ];
    const responses = await Promise.all(changes.map((body) => api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body })));
    expectWellFormed(responses);
    expect(responses.map((r) => r.status)).toEqual(changes.map(() => 200));

    const final = await api('/api/users/preferences', { token: session.accessToken });
    expect(final.body.data).toMatchObject({
      scheme: 'dark',
      layout: 'compact',
      language: 'th',
      timezone: 'Asia/Bangkok',
      dateFormat: 'YYYY-MM-DD',
      timeFormat: '24h',
      navigation: { type: 'compact' },
      notifications: { push: true },
      privacy: { profileVisibility: 'private' },
      accessibility: { fontSize: 'large' },
      performance: { animations: false },
    });
    expect(await count('select count(*) as n from user_preferences where user_id = $1', [user.id])).toBe(1);
    // One audit row per change, none lost and none doubled.
    expect(await count("select count(*) as n from audit_logs where user_id = $1 and entity_type = 'user_preferences'", [user.id])).toBe(auditBefore + changes.length);
  });

  it('ends with the last committed write of one field, and one row', async () => {
    const { user, session } = await signedInUser();
    // A different value per request, so the stored one names the request that wrote it.
    const zones = ['Asia/Bangkok', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Africa/Cairo', 'America/Sao_Paulo', 'Europe/London'];
    const responses = await Promise.all(zones.map((timezone) => api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { timezone } })));
    expectWellFormed(responses);
    expect(responses.map((r) => r.status)).toEqual(zones.map(() => 200));
    // The transaction that last wrote the row (its xmin) is the one whose audit row records the stored value.
    const [row] = await sql<{ timezone: string; xmin: string }>('select timezone, xmin::text as xmin from user_preferences where user_id = $1', [user.id]);
    const writers = await sql<{ request_id: string; timezone: string }>(
      "select metadata->>'requestId' as request_id, new_values->>'localization.timezone' as timezone from audit_logs where entity_type = 'user_preferences' and entity_id = $1 and xmin::text = $2",
      [user.id, row!.xmin],
    );
    expect(writers).toHaveLength(1);
    expect(writers[0]!.timezone).toBe(row!.timezone);
    const last = responses.find((r) => r.requestId === writers[0]!.request_id)!;
    expect(last.body.data.timezone).toBe(row!.timezone);
    expect((await api('/api/users/preferences', { token: session.accessToken })).body.data.timezone).toBe(row!.timezone);
    expect(await count('select count(*) as n from user_preferences where user_id = $1', [user.id])).toBe(1);
    expect(await count("select count(*) as n from audit_logs where entity_type = 'user_preferences' and entity_id = $1 and action = 'update'", [user.id])).toBe(zones.length);
  });

  it('creates the row exactly once when the first reads race', async () => {
    const { user, session } = await signedInUser();
    await sql('delete from user_preferences where user_id = $1', [user.id]);
    const responses = await Promise.all(Array.from({ length: 8 }, () => api('/api/users/preferences', { token: session.accessToken })));
    expectWellFormed(responses);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((r) => JSON.stringify(r.body.data))).size).toBe(1);
    expect(await count('select count(*) as n from user_preferences where user_id = $1', [user.id])).toBe(1);
  });
});

describe('parallel notification creation', () => {
  it('creates every notification once', async () => {
    const admin = await signedInAdmin();
    const { user, session } = await signedInUser();
    const titles = Array.from({ length: 20 }, (_, i) => `Parallel notice ${i}`);
    const responses = await Promise.all(
      titles.map((title) =>
        api('/api/notifications', { method: 'POST', token: admin.session.accessToken, body: { userId: user.id, type: 'system', title, message: `Body of ${title}` } }),
      ),
    );
    expectWellFormed(responses);
    expect(responses.map((r) => r.status)).toEqual(titles.map(() => 201));
    const ids = responses.flatMap((r) => r.body.data.notifications.map((n: { id: string }) => n.id));
    expect(new Set(ids).size).toBe(titles.length);

    const rows = await sql<{ title: string }>('select title from notifications where user_id = $1 order by title', [user.id]);
    expect(rows.map((r) => r.title)).toEqual([...titles].sort());
    const unread = await api('/api/notifications/unread-count', { token: session.accessToken });
    expect(unread.status).toBe(200);
    expect(unread.body.data).toEqual({ count: titles.length, byPriority: { low: 0, normal: titles.length, high: 0, urgent: 0 } });
    const list = await api('/api/notifications?limit=100', { token: session.accessToken });
    expect(list.body.data.map((n: { id: string }) => n.id).sort()).toEqual([...ids].sort());
  });
});

describe('parallel refreshes of one refresh token', () => {
  it('rotates once; the others get the same successor (grace window); nothing is revoked', async () => {
    const { user, session } = await signedInUser();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => api('/api/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } })),
    );
    expectWellFormed(responses);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const successors = new Set(responses.map((r) => r.body.data.refreshToken));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as string[];
    expect(successor).not.toBe(session.refreshToken);

    const rotations = await count("select count(*) as n from session_activity where session_id = $1 and activity_type = 'refresh'", [session.sessionId]);
    expect(rotations).toBe(1);
    const [row] = await sql<{ revoked_at: string | null }>('select revoked_at from user_sessions where id = $1', [session.sessionId]);
    expect(row!.revoked_at).toBeNull();
    expect(await count("select count(*) as n from session_security_events where user_id = $1 and event_type = 'refresh_token_reuse'", [user.id])).toBe(0);

    for (const res of responses) expect((await api('/api/auth/me', { token: res.body.data.accessToken })).status).toBe(200);
    const next = await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: successor } });
    expect(next.status).toBe(200);
    expect(next.body.data.refreshToken).not.toBe(successor);
  });
});

describe('parallel registrations', () => {
  const register = (body: Record<string, string>) => api('/api/auth/register', { method: 'POST', body: { firstName: 'Race', lastName: 'Condition', password: newPassword(), ...body } });

  it('with one email: exactly one account, the others 409', async () => {
    const { email } = randomIdentity('race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => register({ email, username: randomIdentity('race').username })));
    expectWellFormed(responses);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(7).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) expect(res.body.error.code).toBe('EMAIL_ALREADY_EXISTS');
    const users = await sql<{ id: string }>('select id from users where email = $1', [email]);
    expect(users).toHaveLength(1);
    expect(users[0]!.id).toBe(responses.find((r) => r.status === 201)!.body.data.id);
    expect(await count('select count(*) as n from user_roles where user_id = $1', [users[0]!.id])).toBe(1);
    expect(await count("select count(*) as n from audit_logs where entity_id = $1 and action = 'create'", [users[0]!.id])).toBe(1);
  });

  it('with one username: exactly one account, the others 409', async () => {
    const { username } = randomIdentity('race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => register({ email: randomIdentity('race').email, username })));
    expectWellFormed(responses);
    expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) expect(res.body.error.code).toBe('USERNAME_ALREADY_EXISTS');
    expect(await count('select count(*) as n from users where username = $1', [username])).toBe(1);
  });
});
