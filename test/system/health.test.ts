import { describe, expect, it } from 'vitest';
import { api, dbStats, env } from '../harness';

describe('GET /health', () => {
  it('reports the version and a reachable database in one round trip', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({ status: 'ok', version: env.APP_VERSION, database: { status: 'up' } });
    expect(res.body.data.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.body.meta.requestId).toBe(res.requestId);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('answers 503 in the envelope when the database is unreachable', async () => {
    const requestId = `fault-down-${crypto.randomUUID()}`;
    await fetch(`${env.TEST_DB_BASE_URL}/__fault`, {
      method: 'POST',
      body: JSON.stringify({ mode: 'down', requestId }),
    });
    const res = await api('/health', { requestId });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error.details).toMatchObject({ status: 'degraded', database: { status: 'down' } });
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});
