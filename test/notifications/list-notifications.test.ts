import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser } from '../harness';
import { sendNotification } from './helpers';

const at = (minutes: number) => new Date(Date.UTC(2026, 4, 1, 12, minutes));

describe('GET /api/notifications', () => {
  it('lists the caller’s inbox newest first, hiding expired, archived and other users’ notifications, in one round trip', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const other = await signedInUser();
    const older = await sendNotification(sender, me, { title: 'older', createdAt: at(1) });
    const newer = await sendNotification(sender, me, { title: 'newer', createdAt: at(2) });
    await sendNotification(sender, me, { title: 'expired', createdAt: at(3), expiresAt: new Date(Date.now() - 1000) });
    const future = await sendNotification(sender, me, { title: 'expires later', createdAt: at(0), expiresAt: new Date(Date.now() + 3600_000) });
    await sendNotification(sender, me, { title: 'archived', createdAt: at(4), archived: true });
    await sendNotification(sender, other, { title: 'not mine', createdAt: at(5) });
    const res = await api('/api/notifications', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data.map((n: any) => n.id)).toEqual([newer, older, future]);
    expect(res.body.meta.pagination).toEqual({ limit: 20, nextCursor: null });
    expect(res.body.data[0]).toMatchObject({
      title: 'newer',
      type: 'system',
      priority: 'normal',
      read: false,
      readAt: null,
      archived: false,
      createdAt: at(2).toISOString(),
      // A system notice with the default preferences: email now, desktop and sound on, push off.
      delivery: { inApp: true, email: { status: 'pending', scheduledAt: at(2).toISOString(), sentAt: null }, push: false, desktop: true, sound: true },
    });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('filters by read, archived, type and priority', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const unread = await sendNotification(sender, me, { type: 'security', priority: 'high', createdAt: at(1) });
    const read = await sendNotification(sender, me, { type: 'updates', read: true, createdAt: at(2) });
    const archived = await sendNotification(sender, me, { type: 'updates', archived: true, createdAt: at(3) });
    const ids = async (query: string) => (await api(`/api/notifications?${query}`, { token: session.accessToken })).body.data.map((n: any) => n.id);
    expect(await ids('read=false')).toEqual([unread]);
    expect(await ids('read=true')).toEqual([read]);
    expect(await ids('archived=true')).toEqual([archived]);
    expect(await ids('type=updates')).toEqual([read]);
    expect(await ids('type=updates&archived=true')).toEqual([archived]);
    expect(await ids('priority=high')).toEqual([unread]);
    expect(await ids('priority=low')).toEqual([]);
  });

  it('pages with a cursor on (created_at, id), ties included', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await sendNotification(sender, me, { createdAt: at(i) }));
    // Two more at the same instant as the newest: the id breaks the tie.
    const tied = [await sendNotification(sender, me, { createdAt: at(4) }), await sendNotification(sender, me, { createdAt: at(4) })];
    const expected = [...[ids[4]!, ...tied].sort().reverse(), ids[3], ids[2], ids[1], ids[0]];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await api(`/api/notifications?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: session.accessToken });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((n: any) => n.id));
      cursor = res.body.meta.pagination.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });

  it('rejects bad query parameters', async () => {
    const { session } = await signedInUser();
    for (const query of ['limit=0', 'limit=101', 'read=yes', 'priority=critical', 'type=Bad%20Type', 'cursor=not-a-cursor', 'unknown=1']) {
      expectError(await api(`/api/notifications?${query}`, { token: session.accessToken }), 400, 'VALIDATION_ERROR');
    }
    expectError(await api('/api/notifications'), 401, 'UNAUTHORIZED');
  });
});
