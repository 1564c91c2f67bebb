import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { areaOf, AREAS } from '../../src/areas';
import { api } from '../harness';

/** A concrete path for a route pattern: every parameter becomes one segment. */
const example = (path: string) => path.replace(/\{[^}]+\}|:[^/]+/g, 'x1');

/** Each method and path once (a route's middleware is listed beside its handler). */
const operationsOf = (routes: readonly { method: string; path: string }[]) => [
  ...new Set(routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)),
];

describe('areas (the Worker imports each area on its first request)', () => {
  it('sends every operation of the whole API to the one area that defines it', async () => {
    const whole = operationsOf(createApp({ environment: 'test' }).routes);
    const definedBy = new Map<string, string[]>();
    for (const area of AREAS.filter((a) => a.name !== 'docs')) {
      for (const operation of operationsOf((await area.load('test')).routes)) {
        definedBy.set(operation, [...(definedBy.get(operation) ?? []), area.name]);
      }
    }
    const docs = ['GET /api/openapi.json', 'GET /api/docs'];
    expect(whole.length).toBeGreaterThan(100);
    expect([...definedBy.keys(), ...docs].sort()).toEqual([...whole].sort());
    for (const operation of whole) {
      const [, path] = operation.split(' ') as [string, string];
      const expected = docs.includes(operation) ? ['docs'] : definedBy.get(operation);
      expect(expected, operation).toHaveLength(1);
      expect(areaOf(example(path)).name, operation).toBe(expected![0]);
    }
  });

  it('matches the longest prefix, a fixed segment before a parameter, as the routers do', () => {
    expect(areaOf('/api/users/profile').name).toBe('profile');
    expect(areaOf('/api/users/profile/avatar').name).toBe('avatars');
    expect(areaOf('/api/users/me/activity').name).toBe('audit');
    expect(areaOf('/api/users/me').name).toBe('users');
    expect(areaOf('/api/users/u1/settings/ui/theme').name).toBe('user-settings');
    expect(areaOf('/api/users/u1/roles/r1').name).toBe('rbac');
    expect(areaOf('/api/users//roles').name).toBe('users');
    expect(areaOf('/api/users').name).toBe('users');
    expect(areaOf('/api/usersx').name).toBe('none');
    expect(areaOf('/').name).toBe('none');
    expect(areaOf('/api/auth/2fa/verify').name).toBe('auth');
  });

  it('answers paths of no area with the global middleware: 404 in the envelope, CORS preflights, security headers', async () => {
    const missing = await api('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect(missing.headers.get('x-request-id')).toBe(missing.requestId);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    const preflight = await api('/api/nothing-here', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
  });

  it('answers 405 with Allow for a path of an area under another method', async () => {
    const res = await api('/api/users/preferences', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, PUT, HEAD');
  });
});
