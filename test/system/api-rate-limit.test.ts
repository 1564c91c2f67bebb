import { describe, expect, it } from 'vitest';
import { api, env, expectError } from '../harness';

const LIMIT = Number(env.RATE_LIMIT_API_PER_MINUTE);
const WINDOW_MS = 60_000;
const POLICY = `"api";q=${LIMIT};w=60`;

/** A fresh IPv6 /64 for this test run: the limiter's state carries over between tests of one run. */
const freshPrefix = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;

/**
 * Miniflare's limiter counts in fixed windows aligned to the epoch (floor(now / period)). A burst
 * that straddled a boundary would get up to twice the limit, so wait for the next window when less
 * than `margin` ms of this one remain: the burst (a few hundred ms here) then runs inside one window.
 */
async function startOfUsableWindow(margin = 10_000) {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < margin) await new Promise((resolve) => setTimeout(resolve, left + 250));
  return Math.floor(Date.now() / WINDOW_MS);
}

describe('the global per-IP rate limit', () => {
  it('is configured as the original API’s 100 requests a minute', () => {
    expect(LIMIT).toBe(100);
  });

  it(`lets ${LIMIT} requests a minute from one client through, then answers 429 with Retry-After and the RateLimit headers`, async () => {
    const prefix = freshPrefix();
    const ip = `${prefix}::1`;
    const window = await startOfUsableWindow();
    for (let i = 0; i < LIMIT; i++) {
      const res = await api('/api/ping', { ip });
      expect(res.status, `request ${i + 1}`).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe(POLICY);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
    const refused = await api('/api/ping', { ip });
    // The whole burst ran inside one window of the limiter.
    expect(Math.floor(Date.now() / WINDOW_MS)).toBe(window);
    expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('ratelimit-policy')).toBe(POLICY);
    expect(refused.headers.get('ratelimit')).toBe('"api";r=0;t=60');

    // Every route counts, not only the one that used the quota up, and another address of the same
    // IPv6 /64 is the same client.
    expectError(await api('/health', { ip: `${prefix}:0:0:0:abcd` }), 429, 'RATE_LIMIT_EXCEEDED');
    expectError(await api('/api/auth/login', { method: 'POST', body: { email: 'x@example.test', password: 'x' }, ip: `${prefix}::2` }), 429, 'RATE_LIMIT_EXCEEDED');
    // Another client is not affected.
    const other = await api('/api/ping', { ip: `${freshPrefix()}::1` });
    expect(other.status).toBe(200);
  }, 60_000);

  it('sends the CORS and request-id headers with a 429, and exposes exactly the headers it sends', async () => {
    const ip = `${freshPrefix()}::1`;
    await startOfUsableWindow();
    for (let i = 0; i < LIMIT; i++) expect((await api('/api/ping', { ip })).status).toBe(200);
    const origin = 'http://localhost:4200';
    const refused = await api('/api/ping', { ip, headers: { Origin: origin } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('x-request-id')).toBe(refused.requestId);
    const exposed = (refused.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    expect(exposed.sort()).toEqual(['etag', 'ratelimit', 'ratelimit-policy', 'retry-after', 'x-request-id']);
    // Each exposed header is one the API really sends: the 429 carries four of them, a theme its ETag.
    for (const header of ['ratelimit', 'ratelimit-policy', 'retry-after', 'x-request-id']) expect(refused.headers.get(header), header).not.toBeNull();
    const theme = await api('/api/themes', { headers: { Origin: origin } });
    expect(theme.headers.get('etag')).not.toBeNull();
    expect(theme.headers.get('access-control-expose-headers')).toBe(refused.headers.get('access-control-expose-headers'));
  }, 60_000);

  it('does not count CORS preflights', async () => {
    const ip = `${freshPrefix()}::1`;
    await startOfUsableWindow();
    for (let i = 0; i < LIMIT + 5; i++) {
      const preflight = await api('/api/ping', { method: 'OPTIONS', ip, headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'GET' } });
      expect(preflight.status).toBe(204);
    }
    expect((await api('/api/ping', { ip })).status).toBe(200);
  }, 60_000);
});
