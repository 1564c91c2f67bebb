import { describe, expect, it } from 'vitest';
import { api, dbStats, env } from '../harness';

/** Makes the local database endpoint fail every statement of one request. */
async function databaseDownFor(requestId: string) {
  await fetch(`${env.TEST_DB_BASE_URL}/__fault`, { method: 'POST', body: JSON.stringify({ mode: 'down', requestId }) });
}

describe('GET /api/ping', () => {
  it('answers pong without a database round trip, uncached', async () => {
    const res = await api('/api/ping');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ pong: true, timestamp: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body.data.timestamp))).toBe(false);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 0, statements: 0 });
  });

  it('keeps answering while the database and KV are down', async () => {
    const requestId = `ping-down-${crypto.randomUUID()}`;
    await databaseDownFor(requestId);
    const res = await api('/api/ping', { requestId, headers: { 'X-Test-KV-Outage': '1' } });
    expect(res.status).toBe(200);
    expect(res.body.data.pong).toBe(true);
  });

  it('needs no credentials and ignores invalid ones', async () => {
    const res = await api('/api/ping', { token: 'not-a-token' });
    expect(res.status).toBe(200);
  });
});
