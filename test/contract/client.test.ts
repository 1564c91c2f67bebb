import { exports } from 'cloudflare:workers';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from '../../src/app';
import { newPassword, randomIdentity } from '../harness';

/** Hono's typed client over the app's exported type, sending through the real Worker. */
const client = hc<AppType>('https://api.test', {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.headers.set('CF-Connecting-IP', `10.99.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
    return exports.default.fetch(request);
  },
});

describe('typed client (hc<AppType>)', () => {
  it('registers, signs in and reads the current user with inferred types', async () => {
    const identity = randomIdentity('hc');
    const password = newPassword();
    const registered = await client.api.auth.register.$post({ json: { ...identity, password, firstName: 'Typed', lastName: 'Client' } });
    expect(registered.status).toBe(201);
    if (registered.status !== 201) return;
    const created = await registered.json();
    expect(created.data.username).toBe(identity.username);

    const login = await client.api.auth.login.$post({ json: { email: identity.email, password } });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const result = (await login.json()).data;
    if (result.twoFactorRequired) throw new Error('unexpected two-factor challenge');

    const me = await client.api.auth.me.$get({}, { headers: { Authorization: `Bearer ${result.accessToken}` } });
    if (me.status !== 200) throw new Error(`me failed: ${me.status}`);
    const user = (await me.json()).data;
    expect(user.id).toBe(created.data.id);
    expect(user.session?.current).toBe(true);
  });
});
