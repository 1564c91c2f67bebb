import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { sendNotification } from './helpers';

describe('GET /api/notifications/{id}', () => {
  it('returns the caller’s notification in one round trip; another user’s or an expired one is 404', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const other = await signedInUser();
    const mine = await sendNotification(sender, me, { title: 'hello' });
    const res = await api(`/api/notifications/${mine}`, { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: mine, title: 'hello' });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });

    const theirs = await sendNotification(sender, other);
    expectError(await api(`/api/notifications/${theirs}`, { token: session.accessToken }), 404, 'NOTIFICATION_NOT_FOUND');
    const expired = await sendNotification(sender, me, { expiresAt: new Date(Date.now() - 1000) });
    expectError(await api(`/api/notifications/${expired}`, { token: session.accessToken }), 404, 'NOTIFICATION_NOT_FOUND');
    expectError(await api(`/api/notifications/${crypto.randomUUID()}`, { token: session.accessToken }), 404, 'NOTIFICATION_NOT_FOUND');
    expectError(await api('/api/notifications/not-a-uuid', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/notifications/${mine}`), 401, 'UNAUTHORIZED');
  });

  it('hides a notification once its expiry passes (request clock)', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const id = await sendNotification(sender, me, { expiresAt: new Date(Date.now() + 5 * 60_000) });
    expect((await api(`/api/notifications/${id}`, { token: session.accessToken })).status).toBe(200);
    // Ten minutes later (the access token is still valid).
    const later = new Date(Date.now() + 10 * 60_000);
    expect((await api('/api/notifications', { token: session.accessToken, now: later })).body.data).toEqual([]);
    expectError(await api(`/api/notifications/${id}`, { token: session.accessToken, now: later }), 404, 'NOTIFICATION_NOT_FOUND');
  });
});
