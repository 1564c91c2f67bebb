import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, loginAs, registerUser, signedInUser, sql } from '../harness';

const secret = new TextEncoder().encode(env.JWT_SECRET);
const b64 = (value: unknown) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_');

async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' }, key = secret) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', roles: ['admin'], perms: ['*:*'], iat: now, exp: now + 600, jti: crypto.randomUUID(), iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, ...claims })
    .setProtectedHeader(header as { alg: string })
    .sign(key);
}

describe('access tokens', () => {
  it('authenticate GET /api/auth/me with the current session, in one round trip', async () => {
    const { user, session } = await signedInUser();
    const res = await api('/api/auth/me', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, email: user.email, roles: ['user'], status: 'pending', session: { id: session.sessionId, current: true } });
    expect(res.body.data.permissions).toContain('profile:read');
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
  });

  it('are refused when missing, malformed, expired, tampered, of another type or audience, or alg none', async () => {
    const { user, session } = await signedInUser();
    const sub = user.id;
    const sid = session.sessionId;
    const [h, p, s] = session.accessToken.split('.');
    const tampered = `${h}.${b64({ ...JSON.parse(atob(p!.replaceAll('-', '+').replaceAll('_', '/'))), perms: ['*:*'] })}.${s}`;
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ sub, sid, token_use: 'access', iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, exp: 9999999999, iat: 1, jti: 'x' })}.`;
    const tokens = {
      missing: undefined,
      garbage: 'not-a-jwt',
      tampered,
      none,
      expired: await forge({ sub, sid, iat: 1000, exp: 2000 }),
      wrongAudience: await forge({ sub, sid, aud: 'someone-else' }),
      wrongIssuer: await forge({ sub, sid, iss: 'evil' }),
      wrongUse: await forge({ sub, sid, token_use: 'two_factor_challenge' }),
      wrongTyp: await forge({ sub, sid }, { alg: 'HS256', typ: 'JWT' }),
      wrongKey: await forge({ sub, sid }, undefined, new TextEncoder().encode('another-secret-another-secret-another')),
      embeddedJwk: await forge({ sub, sid }, { alg: 'HS256', typ: 'at+jwt', jwk: { kty: 'oct', k: 'AAAA' } }, new TextEncoder().encode('another-secret-another-secret-another')),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await api('/api/auth/me', token ? { token } : {});
      expect(res.status, name).toBe(401);
      // An expired (but genuine) token says so, so that clients know to refresh it.
      expect(res.body.error.code, name).toBe(name === 'expired' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED');
    }
    expect((await api('/api/auth/me', { token: await forge({ sub, sid }) })).status).toBe(200);
  });

  it('verify-token reports valid, expired, invalid and revoked without a database round trip', async () => {
    const { session } = await signedInUser();
    const valid = await api('/api/auth/verify-token', { method: 'POST', body: { token: session.accessToken } });
    expect(valid.body.data).toMatchObject({ valid: true, sessionId: session.sessionId, userId: session.user.id });
    expect(await dbStats(valid.requestId)).toEqual({ roundTrips: 0, statements: 0 });
    const viaHeader = await api('/api/auth/verify-token', { method: 'POST', token: session.accessToken });
    expect(viaHeader.body.data.valid).toBe(true);
    expect((await api('/api/auth/verify-token', { method: 'POST', body: { token: 'x.y.z' } })).body.data).toEqual({ valid: false, reason: 'invalid' });
    const later = new Date(Date.now() + 3_600_000);
    expect((await api('/api/auth/verify-token', { method: 'POST', body: { token: session.accessToken }, now: later })).body.data).toEqual({ valid: false, reason: 'expired' });
    await api('/api/auth/logout', { method: 'POST', token: session.accessToken });
    expect((await api('/api/auth/verify-token', { method: 'POST', body: { token: session.accessToken } })).body.data).toEqual({ valid: false, reason: 'revoked' });
  });

  it('stop working as soon as the session is revoked (logout)', async () => {
    const { session } = await signedInUser();
    expect((await api('/api/auth/me', { token: session.accessToken })).status).toBe(200);
    const out = await api('/api/auth/logout', { method: 'POST', token: session.accessToken });
    expect(out.status).toBe(200);
    expect(out.body.data).toEqual({ message: 'Signed out', loggedOutDevices: 1 });
    expect(out.headers.get('set-cookie')).toMatch(/aegisx_refresh=;.*Max-Age=0/);
    expectError(await api('/api/auth/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
    expectError(await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } }), 401, 'INVALID_REFRESH_TOKEN');
    expect(await sql("select 1 from audit_logs where session_id = $1 and action = 'logout'", [session.sessionId])).toHaveLength(1);
    expect(await sql("select 1 from session_activity where session_id = $1 and activity_type = 'logout'", [session.sessionId])).toHaveLength(1);
  });

  it('logout of all devices revokes every session of the user', async () => {
    const user = await registerUser();
    const a = await loginAs(user.email, user.password);
    const b = await loginAs(user.email, user.password);
    const c = await loginAs(user.email, user.password);
    const res = await api('/api/auth/logout', { method: 'POST', token: a.accessToken, body: { allDevices: true } });
    expect(res.body.data.loggedOutDevices).toBe(3);
    for (const s of [a, b, c]) expect((await api('/api/auth/me', { token: s.accessToken })).status).toBe(401);
  });
});

describe('session activity', () => {
  it('records API calls and page views after the response, keeping last_activity_at and activity_count current', async () => {
    const { session } = await signedInUser();
    await api('/api/auth/me', { token: session.accessToken });
    const view = await api('/api/auth/activity', { method: 'POST', token: session.accessToken, body: { resource: '/dashboard' } });
    expect(view.status).toBe(202);
    await expect
      .poll(async () => (await sql<{ activity_type: string; resource: string }>('select activity_type, resource from session_activity where session_id = $1 order by created_at', [session.sessionId])).map((r) => `${r.activity_type} ${r.resource}`))
      .toEqual(expect.arrayContaining(['login /api/auth/login', 'api_call /api/auth/me', 'page_view /dashboard']));
    const [row] = await sql<{ activity_count: string }>('select activity_count from user_sessions where id = $1', [session.sessionId]);
    expect(Number(row!.activity_count)).toBeGreaterThanOrEqual(3);
  });

  it('records paths and page views carrying NUL characters without them (Postgres text cannot hold NUL)', async () => {
    const { session } = await signedInUser();
    const call = await api('/api/notifications/a%00b', { token: session.accessToken });
    expect(call.status).toBe(400);
    const view = await api('/api/auth/activity', { method: 'POST', token: session.accessToken, body: { resource: '/dash\u0000board', data: { 'ta\u0000b': 'a\u0000b' } } });
    expect(view.status).toBe(202);
    await expect
      .poll(async () => (await sql<{ resource: string; tab: string }>("select resource, request_data->>'tab' as tab from session_activity where session_id = $1 and activity_type = 'page_view'", [session.sessionId])))
      .toEqual([{ resource: '/dashboard', tab: 'ab' }]);
    expect(await sql("select 1 from session_activity where session_id = $1 and resource = '/api/notifications/ab'", [session.sessionId])).toHaveLength(1);
  });
});
