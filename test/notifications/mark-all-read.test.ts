import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { sendNotification } from './helpers';

describe('POST /api/notifications/read-all', () => {
  it('marks every unread notification of the caller read, optionally of one type, in one round trip with its audit row', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { user, session } = me;
    const other = await signedInUser();
    await sendNotification(sender, me, { type: 'security' });
    await sendNotification(sender, me, { type: 'updates' });
    await sendNotification(sender, me, { type: 'updates', archived: true });
    await sendNotification(sender, me, { type: 'updates', read: true });
    const theirs = await sendNotification(sender, other, { type: 'updates' });

    const byType = await api('/api/notifications/read-all', { method: 'POST', token: session.accessToken, body: { type: 'updates' } });
    expect(byType.status).toBe(200);
    expect(byType.body.data).toEqual({ updated: 2 });
    expect(await dbStats(byType.requestId)).toEqual({ roundTrips: 1, statements: 2 });
    const audit = await sql<{ action: string; user_id: string; old_values: string; new_values: string }>(
      "select action, user_id, old_values::text, new_values::text from audit_logs where entity_type = 'notification' and metadata->>'requestId' = $1",
      [byType.requestId],
    );
    expect(audit.map((a) => ({ ...a, old_values: JSON.parse(a.old_values), new_values: JSON.parse(a.new_values) }))).toEqual([
      { action: 'update', user_id: user.id, old_values: { unread: 2 }, new_values: { read: true, type: 'updates' } },
    ]);
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
