import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { sendNotification } from './helpers';

describe('DELETE /api/notifications/{id}', () => {
  it('deletes the caller’s notification with an audit row, in one round trip', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const me = await signedInUser();
    const { session } = me;
    const id = await sendNotification(sender, me);
    const res = await api(`/api/notifications/${id}`, { method: 'DELETE', token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ message: 'Notification deleted', id });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 3 });
    expect(await sql('select 1 from notifications where id = $1', [id])).toHaveLength(0);
    expect(await sql("select 1 from audit_logs where entity_type = 'notification' and entity_id = $1 and action = 'delete'", [id])).toHaveLength(1);
    const again = await api(`/api/notifications/${id}`, { method: 'DELETE', token: session.accessToken });
    expectError(again, 404, 'NOTIFICATION_NOT_FOUND');
    expect(await sql("select 1 from audit_logs where entity_type = 'notification' and entity_id = $1", [id])).toHaveLength(1);
    expect(await sql("select 1 from audit_logs where metadata->>'requestId' = $1", [again.requestId])).toHaveLength(0);
  });

  it('is 404 for another user’s notification, which stays', async () => {
    const sender = (await signedInAdmin()).session.accessToken;
    const { session } = await signedInUser();
    const other = await signedInUser();
    const theirs = await sendNotification(sender, other);
    expectError(await api(`/api/notifications/${theirs}`, { method: 'DELETE', token: session.accessToken }), 404, 'NOTIFICATION_NOT_FOUND');
    expect(await sql('select 1 from notifications where id = $1', [theirs])).toHaveLength(1);
    expect(await sql('select 1 from audit_logs where entity_id = $1', [theirs])).toHaveLength(0);
    expectError(await api(`/api/notifications/${theirs}`, { method: 'DELETE' }), 401, 'UNAUTHORIZED');
  });
});
