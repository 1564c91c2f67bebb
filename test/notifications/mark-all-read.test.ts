import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser, sql } from '../harness';
import { storeNotification } from './helpers';

describe('POST /api/notifications/read-all', () => {
  it('marks every unread notification of the caller read, optionally of one type, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const other = await signedInUser();
    await storeNotification(user.id, { type: 'security' });
    await storeNotification(user.id, { type: 'updates' });
    await storeNotification(user.id, { type: 'updates', archived: true });
    await storeNotification(user.id, { type: 'updates', read: true });
    const theirs = await storeNotification(other.user.id, { type: 'updates' });

    const byType = await api('/api/notifications/read-all', { method: 'POST', token: session.accessToken, body: { type: 'updates' } });
    expect(byType.status).toBe(200);
    expect(byType.body.data).toEqual({ updated: 2 });
    expect(await dbStats(byType.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect((await api('/api/notifications/unread-count', { token: session.accessToken })).body.data.count).toBe(1);

    const all = await api('/api/notifications/read-all', { method: 'POST', token: session.accessToken });
    expect(all.body.data).toEqual({ updated: 1 });
    expect((await api('/api/notifications/unread-count', { token: session.accessToken })).body.data.count).toBe(0);
    const [row] = await sql<{ read: string }>('select read::text as read from notifications where id = $1', [theirs]);
    expect(row!.read).toBe('false');
  });

  it('validates the body and needs a token', async () => {
    const { session } = await signedInUser();
    expectError(await api('/api/notifications/read-all', { method: 'POST', token: session.accessToken, body: { type: 'Bad Type' } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/notifications/read-all', { method: 'POST', token: session.accessToken, body: { all: true } }), 400, 'VALIDATION_ERROR');
    expectError(await api('/api/notifications/read-all', { method: 'POST' }), 401, 'UNAUTHORIZED');
  });
});
