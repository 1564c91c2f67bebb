import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, loginAs, registerUser, signedInUser, sql } from '../harness';
import { bands, jpeg, storedKeys, upload } from './images';

describe('DELETE /api/users/avatar', () => {
  it('removes the row, the R2 objects and the URL in one round trip; a second call is 404', async () => {
    const { user, session } = await signedInUser();
    expect((await upload(session.accessToken, await jpeg(bands(100, 60)))).status).toBe(200);
    expect(await storedKeys(user.id)).toHaveLength(4);
    const res = await api('/api/users/avatar', { method: 'DELETE', token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ message: 'Avatar removed', userId: user.id });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect(await storedKeys(user.id)).toEqual([]);
    expect(await sql('select 1 from avatar_files where user_id = $1', [user.id])).toHaveLength(0);
    const [u] = await sql<{ avatar_url: string | null }>('select avatar_url from users where id = $1', [user.id]);
    expect(u!.avatar_url).toBeNull();
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Removed their avatar'", [user.id])).toHaveLength(1);

    const again = await api('/api/users/avatar', { method: 'DELETE', token: session.accessToken });
    expectError(again, 404, 'AVATAR_NOT_FOUND');
    expect(await dbStats(again.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Removed their avatar'", [user.id])).toHaveLength(1);
  });

  it('clears an avatar URL that has no stored files', async () => {
    const { user, session } = await signedInUser();
    await sql("update users set avatar_url = 'https://example.test/old.png' where id = $1", [user.id]);
    expect((await api('/api/users/avatar', { method: 'DELETE', token: session.accessToken })).status).toBe(200);
    const [u] = await sql<{ avatar_url: string | null }>('select avatar_url from users where id = $1', [user.id]);
    expect(u!.avatar_url).toBeNull();
  });

  it('needs a token and profile:avatar', async () => {
    expectError(await api('/api/users/avatar', { method: 'DELETE' }), 401, 'UNAUTHORIZED');
    const user = await registerUser();
    await sql('delete from user_roles where user_id = $1', [user.id]);
    const session = await loginAs(user.email, user.password);
    expectError(await api('/api/users/avatar', { method: 'DELETE', token: session.accessToken }), 403, 'FORBIDDEN');
  });
});
