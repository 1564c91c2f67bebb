import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { sendNotification } from './helpers';

describe('GET /api/notifications/unread-count', () => {
  it('counts unread, unarchived, unexpired notifications of the caller, by priority, in one round trip', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const other = await signedInUser();
    await sendNotification(sender, me, { priority: 'urgent' });
    await sendNotification(sender, me, { priority: 'urgent' });
    await sendNotification(sender, me);
    await sendNotification(sender, me, { read: true });
    await sendNotification(sender, me, { archived: true });
    await sendNotification(sender, me, { expiresAt: new Date(Date.now() - 1000) });
    await sendNotification(sender, other);
    const res = await api('/api/notifications/unread-count', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ count: 3, byPriority: { low: 0, normal: 1, high: 0, urgent: 2 } });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expectError(await api('/api/notifications/unread-count'), 401, 'UNAUTHORIZED');
  });
});
