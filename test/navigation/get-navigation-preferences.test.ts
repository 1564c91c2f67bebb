import { describe, expect, it } from 'vitest';
import { api, expectError, signedInUser } from '../harness';
import { expectNoRoundTrip } from './helpers';

describe('GET /api/navigation/preferences', () => {
  it('lists the caller’s own preferences by item key, from the cache after a write', async () => {
    const me = await signedInUser();
    const { session } = me;
    const { session: other } = await signedInUser();
    await api('/api/navigation/preferences/help-about', { method: 'PUT', token: session.accessToken, body: { customSortOrder: 0 } });
    await api('/api/navigation/preferences/dashboard', { method: 'PUT', token: session.accessToken, body: { pinned: true, hidden: false } });
    await api('/api/navigation/preferences/dashboard', { method: 'PUT', token: other.accessToken, body: { hidden: true } });

    // Served from the cached tree and preferences once they are filled.
    await expectNoRoundTrip('/api/navigation/preferences', me);
    const mine = await api('/api/navigation/preferences', { token: session.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual(
      expect.arrayContaining([
        { key: 'help-about', hidden: null, customSortOrder: 0, pinned: false, updatedAt: expect.any(String) },
        { key: 'dashboard', hidden: false, customSortOrder: null, pinned: true, updatedAt: expect.any(String) },
      ]),
    );
    expect(mine.body.data).toHaveLength(2);
    expect((await api('/api/navigation/preferences', { token: other.accessToken })).body.data).toMatchObject([{ key: 'dashboard', hidden: true }]);
  });

  it('answers 401 without a token', async () => {
    expectError(await api('/api/navigation/preferences'), 401, 'UNAUTHORIZED');
  });
});
