import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { sendNotification } from './helpers';

describe('PATCH /api/notifications/{id}', () => {
  it('marks read and unread, archives and unarchives, in one round trip each, with an audit row each', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { user, session } = me;
    const id = await sendNotification(sender, me);
    const patch = (body: unknown, now?: Date) => api(`/api/notifications/${id}`, { method: 'PATCH', token: session.accessToken, body, ...(now ? { now } : {}) });
    const t1 = new Date('2026-05-01T10:00:00.000Z');
    const read = await patch({ read: true }, t1);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id, read: true, readAt: t1.toISOString(), archived: false, archivedAt: null });
    // One batch: the existence guard, the audit row and the update.
    expect(await dbStats(read.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    const audit = await sql<{ action: string; entity_id: string; user_id: string; old_values: string; new_values: string }>(
      "select action, entity_id, user_id, old_values::text, new_values::text from audit_logs where entity_type = 'notification' and metadata->>'requestId' = $1",
      [read.requestId],
    );
    expect(audit.map((a) => ({ ...a, old_values: JSON.parse(a.old_values), new_values: JSON.parse(a.new_values) }))).toEqual([
      { action: 'update', entity_id: id, user_id: user.id, old_values: { read: false, archived: false }, new_values: { read: true } },
    ]);
    // Marking read again keeps the first readAt.
    expect((await patch({ read: true }, new Date('2026-05-02T10:00:00.000Z'))).body.data.readAt).toBe(t1.toISOString());
    expect((await patch({ read: false })).body.data).toMatchObject({ read: false, readAt: null });
    const archived = await patch({ archived: true, read: true }, t1);
    expect(archived.body.data).toMatchObject({ read: true, archived: true, archivedAt: t1.toISOString() });
    expect((await api('/api/notifications', { token: session.accessToken })).body.data).toEqual([]);
    expect((await patch({ archived: false })).body.data).toMatchObject({ archived: false, archivedAt: null });
    expect((await api('/api/notifications', { token: session.accessToken })).body.data).toHaveLength(1);
    // Five changes, five audit rows.
    expect(await sql("select 1 from audit_logs where entity_type = 'notification' and entity_id = $1 and action = 'update'", [id])).toHaveLength(5);
  });

  it('is 404 for another user’s notification and leaves it alone; validates the body', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const other = await signedInUser();
    const theirs = await sendNotification(sender, other);
    const refused = await api(`/api/notifications/${theirs}`, { method: 'PATCH', token: session.accessToken, body: { read: true } });
    expectError(refused, 404, 'NOTIFICATION_NOT_FOUND');
    const [row] = await sql<{ read: boolean | string }>('select read::text as read from notifications where id = $1', [theirs]);
    expect(row!.read).toBe('false');
    expect(await sql("select 1 from audit_logs where metadata->>'requestId' = $1", [refused.requestId])).toHaveLength(0);
    const mine = await sendNotification(sender, me);
    for (const body of [{}, { read: 'yes' }, { read: true, pinned: true }]) {
      expectError(await api(`/api/notifications/${mine}`, { method: 'PATCH', token: session.accessToken, body }), 400, 'VALIDATION_ERROR');
    }
    expectError(await api(`/api/notifications/${mine}`, { method: 'PATCH', body: { read: true } }), 401, 'UNAUTHORIZED');
  });
});
