import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser } from '../harness';
import { storeNotification } from './helpers';

describe('GET /api/notifications/unread-count', () => {
  it('counts unread, unarchived, unexpired notifications of the caller, by priority, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const other = await signedInUser();
    await storeNotification(user.id, { priority: 'urgent' });
    await storeNotification(user.id, { priority: 'urgent' });
    await storeNotification(user.id);
    await storeNotification(user.id, { read: true });
    await storeNotification(user.id, { archived: true });
    await storeNotification(user.id, { expiresAt: new Date(Date.now() - 1000) });
    await storeNotification(other.user.id);
    const res = await api('/api/notifications/unread-count', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ count: 3, byPriority: { low: 0, normal: 1, high: 0, urgent: 2 } });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expectError(await api('/api/notifications/unread-count'), 401, 'UNAUTHORIZED');
  });
});
