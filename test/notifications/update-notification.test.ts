import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser, sql } from '../harness';
import { storeNotification } from './helpers';

describe('PATCH /api/notifications/{id}', () => {
  it('marks read and unread, archives and unarchives, in one round trip each', async () => {
    const { user, session } = await signedInUser();
    const id = await storeNotification(user.id);
    const patch = (body: unknown, now?: Date) => api(`/api/notifications/${id}`, { method: 'PATCH', token: session.accessToken, body, ...(now ? { now } : {}) });
    const t1 = new Date('2026-05-01T10:00:00.000Z');
    const read = await patch({ read: true }, t1);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id, read: true, readAt: t1.toISOString(), archived: false, archivedAt: null });
    expect(await dbStats(read.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    // Marking read again keeps the first readAt.
    expect((await patch({ read: true }, new Date('2026-05-02T10:00:00.000Z'))).body.data.readAt).toBe(t1.toISOString());
    expect((await patch({ read: false })).body.data).toMatchObject({ read: false, readAt: null });
    const archived = await patch({ archived: true, read: true }, t1);
    expect(archived.body.data).toMatchObject({ read: true, archived: true, archivedAt: t1.toISOString() });
    expect((await api('/api/notifications', { token: session.accessToken })).body.data).toEqual([]);
    expect((await patch({ archived: false })).body.data).toMatchObject({ archived: false, archivedAt: null });
    expect((await api('/api/notifications', { token: session.accessToken })).body.data).toHaveLength(1);
  });

  it('is 404 for another user’s notification and leaves it alone; validates the body', async () => {
    const { session } = await signedInUser();
    const other = await signedInUser();
    const theirs = await storeNotification(other.user.id);
    expectError(await api(`/api/notifications/${theirs}`, { method: 'PATCH', token: session.accessToken, body: { read: true } }), 404, 'NOTIFICATION_NOT_FOUND');
    const [row] = await sql<{ read: boolean | string }>('select read::text as read from notifications where id = $1', [theirs]);
    expect(row!.read).toBe('false');
    const mine = await storeNotification((await api('/api/auth/me', { token: session.accessToken })).body.data.id);
    for (const body of [{}, { read: 'yes' }, { read: true, pinned: true }]) {
      expectError(await api(`/api/notifications/${mine}`, { method: 'PATCH', token: session.accessToken, body }), 400, 'VALIDATION_ERROR');
    }
    expectError(await api(`/api/notifications/${mine}`, { method: 'PATCH', body: { read: true } }), 401, 'UNAUTHORIZED');
  });
});
