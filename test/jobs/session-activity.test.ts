import { describe, expect, it } from 'vitest';
import type { ActivityMessage } from '../../src/modules/auth/services/activity';
import { api, dbStats, signedInUser, sql } from '../harness';
import { runQueue, runsDuring, runStats } from './helpers';

const ACTIVITY_QUEUE = 'aegisx-activity';

const message = (sessionId: string, resource: string, createdAt: string): ActivityMessage => ({
  kind: 'activity',
  id: crypto.randomUUID(),
  sessionId,
  activityType: 'page_view',
  resource,
  method: null,
  statusCode: null,
  ipAddress: '203.0.113.7',
  userAgent: 'test',
  requestData: { tab: 'a' },
  createdAt,
});

const rowsOf = (sessionId: string) =>
  sql<{ activity_type: string; resource: string }>('select activity_type, resource from session_activity where session_id = $1 order by created_at, resource', [sessionId]);
const sessionRow = async (sessionId: string) =>
  (await sql<{ activity_count: string; last_activity_at: string | null }>('select activity_count, last_activity_at from user_sessions where id = $1', [sessionId]))[0]!;

describe('session activity through the activity queue', () => {
  it('arrives in the table after the response, and the request makes no extra database round trip', async () => {
    const { session } = await signedInUser();
    const me = await api('/api/auth/me', { token: session.accessToken });
    expect(me.status).toBe(200);
    const view = await api('/api/auth/activity', { method: 'POST', token: session.accessToken, body: { resource: '/dashboard' } });
    expect(view.status).toBe(202);
    await expect
      .poll(async () => (await rowsOf(session.sessionId)).map((r) => `${r.activity_type} ${r.resource}`), { timeout: 10_000, interval: 100 })
      .toEqual(expect.arrayContaining(['api_call /api/auth/me', 'page_view /dashboard']));
    // The reads they answered cost what they cost before; nothing runs against the database after the response.
    expect(await dbStats(me.requestId)).toEqual({ roundTrips: 1, statements: 1 });
    expect(await dbStats(view.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    for (const id of [me.requestId, view.requestId]) expect(await dbStats(`${id}:after`)).toEqual({ roundTrips: 0, statements: 0 });
    await expect.poll(async () => Number((await sessionRow(session.sessionId)).activity_count), { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
  });

  it('writes a batch in one round trip, once even when delivered twice, skipping sessions that no longer exist', async () => {
    const { session } = await signedInUser();
    const before = Number((await sessionRow(session.sessionId)).activity_count);
    const batch = [
      { body: message(session.sessionId, '/reports', '2026-01-02T03:04:05.000Z') },
      { body: message(session.sessionId, '/settings', '2026-01-02T03:04:06.000Z') },
      { body: message(crypto.randomUUID(), '/gone', '2026-01-02T03:04:07.000Z') },
    ];
    const { value: result, runs } = await runsDuring('activity-writes', () => runQueue(ACTIVITY_QUEUE, batch));
    expect(result.explicitAcks).toHaveLength(3);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ ok: true, processed: 3, details: { messages: 3, written: 2 } });
    expect(await runStats(runs[0]!)).toEqual({ roundTrips: 1, statements: 1 });

    const again = await runQueue(ACTIVITY_QUEUE, batch);
    expect(again.explicitAcks).toHaveLength(3);
    const rows = (await rowsOf(session.sessionId)).filter((r) => r.activity_type === 'page_view');
    expect(rows.map((r) => r.resource)).toEqual(['/reports', '/settings']);
    const after = await sessionRow(session.sessionId);
    expect(Number(after.activity_count)).toBe(before + 2);
    expect(after.last_activity_at).not.toBeNull();
  });

  it('writes dead-lettered activity from the dead-letter queue', async () => {
    const { session } = await signedInUser();
    const result = await runQueue('aegisx-dlq', [{ body: message(session.sessionId, '/late', '2026-01-03T00:00:00.000Z') }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await rowsOf(session.sessionId)).map((r) => r.resource)).toContain('/late');
  });
});
