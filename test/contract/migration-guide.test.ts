import { beforeAll, describe, expect, it } from 'vitest';
import guide from '../../docs/migrating-from-aegisx.md?raw';
import { api, createApiKey, env, expectError, registerUser, seededAdmin, signedInUser, type Login } from '../harness';

/*
 * docs/migrating-from-aegisx.md cannot drift: every original endpoint has a row, every equivalent
 * it names is an operation of the served document, every original path it says is gone answers
 * 404, and each numbered difference (D1, D2 …) is checked here against the Worker.
 */

/**
 * Every endpoint of the original API, as recorded in the reference of the original system
 * (its OpenAPI specs, the routes its code served, the routes added later), written independently
 * of the guide.
 */
const ORIGINAL_ENDPOINTS = [
  // auth-extensions-api.yaml
  'POST /api/auth/logout', 'POST /api/auth/refresh', 'GET /api/auth/me', 'GET /api/auth/sessions',
  'DELETE /api/auth/sessions/{sessionId}', 'POST /api/auth/verify-token',
  // navigation-api.yaml
  'GET /api/navigation', 'GET /api/navigation/user',
  // user-profile-api.yaml
  'GET /api/users/profile', 'PUT /api/users/profile', 'POST /api/users/avatar', 'DELETE /api/users/avatar',
  'GET /api/users/preferences', 'PUT /api/users/preferences',
  // settings-api.yaml
  'GET /api/settings', 'PUT /api/settings', 'GET /api/settings/theme', 'PUT /api/settings/theme', 'GET /api/settings/layout',
  'PUT /api/settings/layout', 'GET /api/settings/notifications', 'PUT /api/settings/notifications', 'POST /api/settings/reset',
  // routes of the original code
  'POST /api/auth/register', 'POST /api/auth/login', 'GET /api/navigation/health', 'GET /api/uploads/avatars/{filename}', 'GET /health',
  'GET /api/info', 'GET /api/status', 'GET /api/health', 'GET /api/ping', 'GET /api-docs', 'GET /api/documentation/json',
  // added later: password reset, email verification, permissions, unlock
  'POST /api/auth/request-password-reset', 'POST /api/auth/verify-reset-token', 'POST /api/auth/reset-password', 'POST /api/auth/verify-email',
  'POST /api/auth/resend-verification', 'GET /api/auth/permissions', 'POST /api/auth/unlock-account',
  // added later: API keys
  'POST /api/api-keys', 'GET /api/api-keys', 'POST /api/api-keys/generate', 'GET /api/api-keys/my-keys', 'GET /api/api-keys/{id}',
  'POST /api/api-keys/validate', 'PUT /api/api-keys/{id}', 'DELETE /api/api-keys/{id}', 'POST /api/api-keys/{id}/revoke',
  'POST /api/api-keys/{id}/rotate',
  // added later: the app-settings API under /api/settings
  'GET /api/settings (app settings)', 'GET /api/settings/grouped', 'GET /api/settings/key/{key}', 'GET /api/settings/value/{key}',
  'GET /api/settings/{id}', 'POST /api/settings', 'PATCH /api/settings/{id}', 'PUT /api/settings/{id}/value', 'DELETE /api/settings/{id}',
  'POST /api/settings/bulk-update', 'GET /api/settings/history', 'GET /api/settings/user', 'PUT /api/settings/user/{settingId}',
  'DELETE /api/settings/user/{settingId}',
];

interface Row {
  original: string;
  method: string;
  path: string;
  here: { method: string; path: string } | null;
  operationId: string | null;
  notes: string;
}

const code = (cell: string) => cell.match(/`([^`]+)`/)?.[1] ?? null;

/** The endpoint table of the guide. */
function rows(): Row[] {
  const section = guide.split('## Endpoints')[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      const original = cells[0]!.replaceAll('`', '');
      const [method, path] = code(cells[0]!)!.split(' ') as [string, string];
      const here = code(cells[2]!);
      const [hereMethod, herePath] = here ? (here.split(' ') as [string, string]) : [];
      return { original, method, path, here: here ? { method: hereMethod!, path: herePath! } : null, operationId: code(cells[3]!), notes: cells[4]! };
    });
}

/** The differences the guide numbers, `D1` … */
const documentedDifferences = () => [...guide.matchAll(/^### (D\d+)\. /gm)].map((m) => m[1]!);

const example = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

let document: { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, any> } };
let admin: Login;

beforeAll(async () => {
  document = (await api('/api/openapi.json')).body as unknown as typeof document;
  admin = await seededAdmin();
});

describe('the migration guide’s endpoint table', () => {
  it('has one row for every endpoint of the original API, and none for endpoints it never had', () => {
    expect(rows().map((r) => r.original).sort()).toEqual([...ORIGINAL_ENDPOINTS].sort());
  });

  it('names, for each equivalent, an operation the served document has at that method and path', () => {
    for (const row of rows().filter((r) => r.here && r.operationId)) {
      const operation = document.paths[row.here!.path]?.[row.here!.method.toLowerCase()];
      expect(operation?.operationId, `${row.original} -> ${row.here!.method} ${row.here!.path}`).toBe(row.operationId);
    }
  });

  it('serves the equivalents that are not operations of the document (the docs page and the document)', async () => {
    for (const row of rows().filter((r) => r.here && !r.operationId)) {
      const res = await api(row.here!.path, { method: row.here!.method });
      expect(res.status, row.original).toBe(200);
    }
  });

  it('answers 404 on every original path it says has no equivalent, and on the moved ones', async () => {
    const gone = rows().filter((r) => !r.here || (r.here.path !== r.path && !document.paths[r.path]?.[r.method.toLowerCase()]));
    expect(gone.length).toBeGreaterThan(0);
    for (const row of gone) {
      const res = await api(example(row.path), { method: row.method, token: admin.accessToken, ...(row.method === 'GET' || row.method === 'DELETE' ? {} : { body: {} }) });
      // No operation serves it: 404 or 405, or a 400 on the path parameter of an operation whose
      // path it happens to match (`/api/api-keys/my-keys` is `/api/api-keys/{id}` with a malformed id).
      const matchedAsParameter = res.status === 400 && res.body.error.details?.every((d: { field: string }) => d.field.startsWith('path.'));
      expect(matchedAsParameter || /^(404 NOT_FOUND|405 METHOD_NOT_ALLOWED)$/.test(`${res.status} ${res.body?.error?.code}`), `${row.original}: ${res.status}`).toBe(true);
    }
  });

  it('refers only to numbered differences the guide describes, and each is pinned by a test below', () => {
    const referenced = new Set(rows().flatMap((r) => [...r.notes.matchAll(/\bD\d+\b/g)].map((m) => m[0])));
    const described = documentedDifferences();
    for (const d of referenced) expect(described, d).toContain(d);
    expect(described.sort()).toEqual(Object.keys(pinned).sort());
  });
});

/** One check per numbered difference of the guide. */
const pinned: Record<string, () => Promise<void>> = {
  async D1() {
    const list = await api('/api/users?limit=1', { token: admin.accessToken });
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual(['data', 'meta', 'success']);
    expect(list.body.meta).toMatchObject({ timestamp: expect.any(String), version: env.APP_VERSION, requestId: list.requestId });
    expect(Object.keys(list.body.meta.pagination!).sort()).toEqual(expect.arrayContaining(['limit', 'page', 'total', 'totalPages']));
    expect(list.body.meta.pagination).not.toHaveProperty('pages');
    const error = await api('/api/auth/me');
    expect(Object.keys(error.body).sort()).toEqual(['error', 'success']);
    expect(Object.keys(error.body.error).sort()).toEqual(['code', 'message', 'requestId']);
    const health = await api('/health');
    expect(health.body).toMatchObject({ success: true, data: { status: 'ok' }, meta: { requestId: health.requestId } });
  },
  async D2() {
    const invalid = await api('/api/auth/register', { method: 'POST', body: {} });
    expectError(invalid, 400, 'VALIDATION_ERROR');
    expect(invalid.body.error.details[0]).toEqual({ field: expect.stringMatching(/^body\./), message: expect.any(String), code: expect.any(String) });
    expectError(await api('/api/no-such-route'), 404, 'NOT_FOUND');
    const wrongMethod = await api('/api/auth/me', { method: 'PATCH' });
    expectError(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expect(wrongMethod.headers.get('allow')).toContain('GET');
  },
  async D3() {
    const { session } = await signedInUser();
    const notation = /^[a-z_*]+:[a-z_*]+$/;
    const me = await api('/api/auth/me', { token: session.accessToken });
    const mine = await api('/api/auth/permissions', { token: session.accessToken });
    const navigation = await api('/api/navigation?type=default', { token: admin.accessToken });
    const navigationPermissions: string[] = [];
    const walk = (items: { permissions?: string[]; children?: unknown[] }[]) => {
      for (const item of items) {
        navigationPermissions.push(...(item.permissions ?? []));
        walk((item.children ?? []) as typeof items);
      }
    };
    walk(navigation.body.data.default);
    const all = [...me.body.data.permissions, ...mine.body.data.permissions, ...navigationPermissions];
    expect(navigationPermissions.length).toBeGreaterThan(0);
    expect(me.body.data.permissions).toContain('profile:read');
    for (const permission of all) expect(permission).toMatch(notation);
  },
  async D4() {
    const user = await registerUser();
    const login = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } });
    expect(login.body.data).toMatchObject({ tokenType: 'Bearer', expiresIn: Number(env.ACCESS_TOKEN_TTL), refreshExpiresIn: Number(env.REFRESH_IDLE_TTL) });
    expect(login.body.data.expiresIn).toBe(900);
    expect(Number(env.REFRESH_IDLE_TTL)).toBe(7 * 24 * 3600);
    expect(Number(env.REFRESH_ABSOLUTE_TTL)).toBe(30 * 24 * 3600);
    const refreshed = await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: login.body.data.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.data.refreshToken).not.toBe(login.body.data.refreshToken);
    expect(refreshed.body.data).not.toHaveProperty('scope');
    const expired = await api('/api/auth/me', { token: login.body.data.accessToken, now: new Date(Date.now() + 901_000) });
    expectError(expired, 401, 'TOKEN_EXPIRED');
    expectError(await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: 'x'.repeat(43) } }), 401, 'INVALID_REFRESH_TOKEN');
  },
  async D5() {
    expectError(await api('/api/auth/logout', { method: 'POST', body: {} }), 401, 'UNAUTHORIZED');
    const { session } = await signedInUser();
    const out = await api('/api/auth/logout', { method: 'POST', token: session.accessToken, body: { allDevices: true } });
    expect(out.status).toBe(200);
    expect(out.body.data.loggedOutDevices).toBeGreaterThanOrEqual(1);
  },
  async D6() {
    const user = await registerUser();
    const login = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password } });
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^aegisx_refresh=/);
    expect(cookie).toContain('Path=/api/auth');
    // Seconds (the original's milliseconds made it last for years): until the session's absolute expiry.
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeLessThanOrEqual(Number(env.REFRESH_ABSOLUTE_TTL));
    expect(maxAge).toBeGreaterThan(Number(env.REFRESH_ABSOLUTE_TTL) - 60);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const viaHeader = await api('/api/auth/refresh', { method: 'POST', headers: { 'X-Refresh-Token': login.body.data.refreshToken }, body: {} });
    expect(viaHeader.status).toBe(200);
  },
  async D7() {
    const res = await api('/api/auth/verify-token', { method: 'POST', body: { token: 'not-a-token' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ valid: false, reason: 'invalid' });
  },
  async D8() {
    expect(document.paths['/api/avatars/{userId}/{avatarId}/{file}']?.get?.operationId).toBe('getAvatarImage');
    const avatar = document.components.schemas.Avatar;
    expect(avatar.properties.avatar.example).toMatch(/^\/api\/avatars\/.+\/512\.jpg$/);
    const thumbnails = document.components.schemas.AvatarThumbnails.properties;
    expect(Object.keys(thumbnails).sort()).toEqual(['large', 'medium', 'small']);
    expect([thumbnails.small.description, thumbnails.medium.description, thumbnails.large.description].map((d: string) => d.split(' ')[0])).toEqual(['64', '128', '256']);
    expectError(await api('/api/uploads/avatars/x_1.jpg'), 404, 'NOT_FOUND');
  },
  async D9() {
    expect((await api('/api/docs')).status).toBe(200);
    expect(((await api('/api/openapi.json')).body as unknown as { openapi: string }).openapi).toMatch(/^3\.1\./);
    expectError(await api('/api-docs'), 404, 'NOT_FOUND');
    expectError(await api('/api/documentation/json'), 404, 'NOT_FOUND');
  },
  async D10() {
    const objectScopes = await api('/api/api-keys', { method: 'POST', token: admin.accessToken, body: { name: 'old shape', scopes: [{ resource: 'users', actions: ['read'] }] } });
    expectError(objectScopes, 400, 'VALIDATION_ERROR');
    const { key } = await createApiKey(admin.accessToken, ['profile:read']);
    expect((await api('/api/users/profile', { headers: { 'X-API-Key': key } })).status).toBe(200);
    expect((await api('/api/users/profile', { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    expectError(await api(`/api/users/profile?api_key=${key}`), 401, 'UNAUTHORIZED');
    expectError(await api('/api/api-keys', { headers: { 'X-API-Key': key } }), 403, 'API_KEY_NOT_ALLOWED');
  },
  async D11() {
    const settings = await api('/api/system-settings/public');
    expect(settings.status).toBe(200);
    expect(settings.body.data.features).toMatchObject({ registration_enabled: expect.any(Boolean) });
    for (const path of ['/api/settings/grouped', '/api/settings/history', '/api/settings/user']) {
      expectError(await api(path, { token: admin.accessToken }), 404, 'NOT_FOUND');
    }
    const grouped = await api('/api/settings', { token: admin.accessToken });
    expect(Object.keys(grouped.body.data)).toEqual(expect.arrayContaining(['theme', 'layout', 'notifications']));
  },
  async D12() {
    const me = await api('/api/auth/me', { token: admin.accessToken });
    expect(me.body.data.role).toMatchObject({ name: expect.any(String) });
    expect(me.body.data.roles).toContain('admin');
  },
  async D13() {
    const res = await api('/api/auth/resend-verification', { method: 'POST', body: { email: `nobody-${crypto.randomUUID()}@example.test` } });
    expect(res.status).toBe(200);
  },
  async D14() {
    const { session } = await signedInUser();
    for (const theme of ['default', 'dark', 'light', 'auto', 'minimal']) {
      const res = await api('/api/users/preferences', { method: 'PUT', token: session.accessToken, body: { theme } });
      expect(res.status, theme).toBe(200);
      expect(res.body.data.theme).toBe(theme);
    }
  },
  async D15() {
    const res = await api('/api/ping');
    expect(res.headers.get('ratelimit-policy')).toBe(`"api";q=${env.RATE_LIMIT_API_PER_MINUTE};w=60`);
    expect(Number(env.RATE_LIMIT_API_PER_MINUTE)).toBe(100);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    expect(res.headers.get('x-ratelimit-remaining')).toBeNull();
  },
  async D16() {
    const publicSettings = await api('/api/system-settings/public');
    expect(publicSettings.body.data.app).toHaveProperty('name');
    expect(publicSettings.body.data.app).not.toHaveProperty('version');
    const all = await api('/api/system-settings', { token: admin.accessToken });
    const names = (all.body.data as { category: string; key: string }[]).map((s) => `${s.category}.${s.key}`);
    expect(names).not.toContain('security.jwt_expiry');
    expect(names).not.toContain('security.refresh_token_expiry');
    expect((await api('/api/info')).body.data.version).toBe(env.APP_VERSION);
  },
};

describe('the migration guide’s numbered differences', () => {
  for (const [name, check] of Object.entries(pinned)) it(`${name} holds`, check);
});
