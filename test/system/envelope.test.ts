import { describe, expect, it } from 'vitest';
import { api, expectError } from '../harness';

describe('request context and the error envelope', () => {
  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const mine = await api('/health', { requestId: 'client-supplied.id-1' });
    expect(mine.headers.get('x-request-id')).toBe('client-supplied.id-1');
    const bad = await api('/health', { requestId: 'bad id with spaces' });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    const res = await api('/api/does-not-exist');
    expectError(res, 404, 'NOT_FOUND');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await api('/health', { method: 'DELETE' });
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('sets secure headers on API responses', async () => {
    const res = await api('/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('allows configured origins with credentials and refuses others', async () => {
    const allowed = await api('/health', { method: 'OPTIONS', headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'GET' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await api('/health', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
