// The typed client (package entry `aegisx-edge-api/client`) driving real flows through the Worker.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ApiClientError, createClient, type RefreshedTokens } from 'aegisx-edge-api/client';
import { grantRole, newPassword, randomIdentity, randomIp } from '../harness';

interface Session {
  accessToken: string | null;
  refreshToken: string | null;
  refreshes: RefreshedTokens[];
}

/**
 * A client whose requests go through the real Worker, from one client address, with the clock the
 * test sets (`X-Test-Now`); every request is logged as `METHOD /path STATUS`.
 */
function testClient() {
  const session: Session = { accessToken: null, refreshToken: null, refreshes: [] };
  const clock: { now?: Date } = {};
  const log: string[] = [];
  const ip = randomIp();
  const client = createClient('https://api.test', {
    getAccessToken: () => session.accessToken,
    getRefreshToken: () => session.refreshToken,
    onRefresh: (tokens) => {
      session.refreshes.push(tokens);
      session.accessToken = tokens.accessToken;
      session.refreshToken = tokens.refreshToken;
    },
    headers: { 'X-Client-Source': 'typed-client-test' },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      request.headers.set('CF-Connecting-IP', ip);
      if (clock.now) request.headers.set('X-Test-Now', clock.now.toISOString());
      const response = await exports.default.fetch(request);
      log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
      return response;
    },
  });
  return { client, session, clock, log };
}

/** Registers and signs in through the client (as an admin when asked), storing the tokens as a front end would. */
async function signedIn({ admin = false } = {}) {
  const t = testClient();
  const identity = randomIdentity('tc');
  const password = newPassword();
  const registered = await t.client.api.auth.register.$post({ json: { ...identity, password, firstName: 'Typed', lastName: 'Client' } });
  if (admin) await grantRole(registered.id, 'admin');
  const login = await t.client.api.auth.login.$post({ json: { email: identity.email, password } });
  if (login.twoFactorRequired) throw new Error('unexpected two-factor challenge');
  t.session.accessToken = login.accessToken;
  t.session.refreshToken = login.refreshToken;
  return { ...t, user: registered, login };
}

const refreshes = (log: string[]) => log.filter((line) => line.startsWith('POST /api/auth/refresh')).length;

describe('typed client', () => {
  it('registers, signs in, reads and updates the profile, with the envelope unwrapped', async () => {
    const { client, user, login, log } = await signedIn();
    expect(user.username).toMatch(/^tc_/);
    expect(login.user.id).toBe(user.id);

    const me = await client.api.auth.me.$get();
    expect(me.id).toBe(user.id);
    expect(me.session?.current).toBe(true);

    const updated = await client.api.users.profile.$put({ json: { firstName: 'Renamed', bio: 'Written by the typed client' } });
    expect(updated).toMatchObject({ id: user.id, firstName: 'Renamed', bio: 'Written by the typed client' });
    expect((await client.api.users.profile.$get()).firstName).toBe('Renamed');
    expect(refreshes(log)).toBe(0);
  });

  it('pages through a paginated list', async () => {
    const { client } = await signedIn({ admin: true });
    const marker = `tcpage${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
    for (let i = 0; i < 3; i++) {
      await client.api.users.$post({ json: { email: `${marker}-${i}@example.test`, username: `${marker}_${i}`, password: newPassword(), firstName: 'Paged', lastName: `User ${i}` } });
    }

    const first = await client.api.users.$get({ query: { search: marker, limit: '2', page: '1' } });
    expect(first.data).toHaveLength(2);
    expect(first.pagination).toMatchObject({ page: 1, limit: 2, total: 3, totalPages: 2 });

    const second = await client.api.users.$get({ query: { search: marker, limit: '2', page: '2' } });
    expect(second.data).toHaveLength(1);
    const seen = new Set([...first.data, ...second.data].map((row) => row.username));
    expect(seen).toEqual(new Set([0, 1, 2].map((i) => `${marker}_${i}`)));
  });

  it('refreshes an expired access token once for parallel calls, then repeats them', async () => {
    const { client, session, clock, log } = await signedIn({ admin: true });
    const { accessToken, refreshToken } = session;
    clock.now = new Date(Date.now() + (Number(env.ACCESS_TOKEN_TTL) + 60) * 1000);

    const [profile, me, preferences, sessions, settings] = await Promise.all([
      client.api.users.profile.$get(),
      client.api.auth.me.$get(),
      client.api.users.preferences.$get(),
      client.api.auth.sessions.$get(),
      client.api.settings.$get(),
    ]);
    expect(profile.id).toBe(me.id);
    expect(preferences).toBeTypeOf('object');
    expect(sessions.length).toBeGreaterThan(0);
    expect(settings).toBeTypeOf('object');

    expect(refreshes(log)).toBe(1);
    expect(log.filter((line) => line.endsWith(' 401'))).toHaveLength(5);
    expect(session.refreshes).toHaveLength(1);
    expect(session.accessToken).not.toBe(accessToken);
    expect(session.refreshToken).not.toBe(refreshToken);

    // The new token is used from now on: no further refresh.
    await client.api.users.profile.$get();
    expect(refreshes(log)).toBe(1);
  });

  it('throws the refresh failure when the refresh token is no longer valid, without retrying', async () => {
    const { client, session, clock, log } = await signedIn();
    session.refreshToken = 'rt_not-a-real-refresh-token-0000000000';
    clock.now = new Date(Date.now() + (Number(env.ACCESS_TOKEN_TTL) + 60) * 1000);

    const failures = await Promise.allSettled([client.api.users.profile.$get(), client.api.auth.me.$get()]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      const error = (failure as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(ApiClientError);
      expect(error).toMatchObject({ status: 401, code: 'INVALID_REFRESH_TOKEN' });
    }
    expect(refreshes(log)).toBe(1);
    expect(session.refreshes).toHaveLength(0);
  });

  it('throws a typed error with code, message, details and request id, and never refreshes on other 401s', async () => {
    const { client, log } = testClient();
    const denied = await client.api.users.profile.$get().catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(ApiClientError);
    expect(denied).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: expect.any(String), requestId: expect.any(String) });
    expect(refreshes(log)).toBe(0);

    const signed = await signedIn();
    const invalid = await signed.client.api.users.profile
      .$put({ json: { language: 'english' } })
      .catch((error: unknown) => error as ApiClientError);
    expect(invalid).toBeInstanceOf(ApiClientError);
    if (!(invalid instanceof ApiClientError)) return;
    expect(invalid.status).toBe(400);
    expect(invalid.code).toBe('VALIDATION_ERROR');
    expect(invalid.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.language' })]));
    expect(invalid.requestId.length).toBeGreaterThan(0);
  });

  it('refuses a wrong request body at compile time, and the API refuses it at run time', async () => {
    const { client } = testClient();
    const identity = randomIdentity('tc');
    const sent = client.api.auth.register.$post({
      // @ts-expect-error `password` must be a string: the body type comes from the route's zod schema.
      json: { ...identity, password: 12345678, firstName: 'Typed', lastName: 'Client' },
    });
    await expect(sent).rejects.toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });
});
