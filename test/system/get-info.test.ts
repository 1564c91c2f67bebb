import { describe, expect, it } from 'vitest';
import { api, dbStats, env } from '../harness';

describe('GET /api/info', () => {
  it('names the service, its version, environment and build, and where its OpenAPI document is, without a database round trip', async () => {
    const res = await api('/api/info');
    expect(res.status).toBe(200);
    const document = (await api('/api/openapi.json')).body as unknown as { info: { title: string; version: string } };
    expect(res.body.data).toEqual({
      name: document.info.title,
      version: env.APP_VERSION,
      environment: 'test',
      buildTime: expect.toSatisfy((v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)))),
      versionId: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
      openApiUrl: 'https://api.test/api/openapi.json',
      docsUrl: 'https://api.test/api/docs',
    });
    expect(res.body.data.version).toBe(document.info.version);
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 0, statements: 0 });
  });

  it('answers while the database and KV are down', async () => {
    const requestId = `info-down-${crypto.randomUUID()}`;
    await fetch(`${env.TEST_DB_BASE_URL}/__fault`, { method: 'POST', body: JSON.stringify({ mode: 'down', requestId }) });
    const res = await api('/api/info', { requestId, headers: { 'X-Test-KV-Outage': '1' } });
    expect(res.status).toBe(200);
    expect(res.body.data.version).toBe(env.APP_VERSION);
  });

  it('points at a document that is served', async () => {
    const info = await api('/api/info');
    const url = new URL(info.body.data.openApiUrl);
    const document = await api<unknown>(url.pathname);
    expect(document.status).toBe(200);
    expect((document.body as unknown as { openapi: string }).openapi).toMatch(/^3\.1/);
  });
});
