import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInAdmin, signedInUser, sql } from '../harness';
import { bands, jpeg, storedKeys, upload } from './images';

describe('DELETE /api/users/{userId}/avatar', () => {
  it('lets an admin remove another user’s avatar', async () => {
    const owner = await signedInUser();
    expect((await upload(owner.session.accessToken, await jpeg(bands(90, 90)))).status).toBe(200);
    const admin = await signedInAdmin();
    const res = await api(`/api/users/${owner.user.id}/avatar`, { method: 'DELETE', token: admin.session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ message: 'Avatar removed', userId: owner.user.id });
    // One batch: the containment guard (the owner holds no more than the admin), the avatar guard, row, URL and audit.
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 5 });
    expect(await storedKeys(owner.user.id)).toEqual([]);
    expect(await sql('select 1 from avatar_files where user_id = $1', [owner.user.id])).toHaveLength(0);
    const [audit] = await sql<{ user_id: string }>("select user_id from audit_logs where entity_id = $1 and description = 'Removed a user’s avatar'", [owner.user.id]);
    expect(audit!.user_id).toBe(admin.user.id);
    expectError(await api(`/api/users/${owner.user.id}/avatar`, { method: 'DELETE', token: admin.session.accessToken }), 404, 'AVATAR_NOT_FOUND');
    expectError(await api(`/api/users/${crypto.randomUUID()}/avatar`, { method: 'DELETE', token: admin.session.accessToken }), 404, 'AVATAR_NOT_FOUND');
    expectError(await api('/api/users/not-a-uuid/avatar', { method: 'DELETE', token: admin.session.accessToken }), 400, 'VALIDATION_ERROR');
  });

  it('is refused to users without users:update, and leaves the avatar alone', async () => {
    const owner = await signedInUser();
    expect((await upload(owner.session.accessToken, await jpeg(bands(90, 90)))).status).toBe(200);
    const other = await signedInUser();
    expectError(await api(`/api/users/${owner.user.id}/avatar`, { method: 'DELETE' }), 401, 'UNAUTHORIZED');
    expectError(await api(`/api/users/${owner.user.id}/avatar`, { method: 'DELETE', token: other.session.accessToken }), 403, 'FORBIDDEN');
    expect(await storedKeys(owner.user.id)).toHaveLength(4);
  });

  it('is implied by a permanent delete of the user: the images leave R2 and stop being served', async () => {
    const owner = await signedInUser();
    const uploaded = await upload(owner.session.accessToken, await jpeg(bands(90, 90)));
    expect(uploaded.status).toBe(200);
    const url: string = uploaded.body.data.avatar;
    expect((await api(url)).status).toBe(200);
    const admin = await signedInAdmin();
    await api(`/api/users/${owner.user.id}`, { method: 'DELETE', token: admin.session.accessToken });
    expect((await api(`/api/users/${owner.user.id}/permanent`, { method: 'DELETE', token: admin.session.accessToken })).status).toBe(200);
    expect(await storedKeys(owner.user.id)).toEqual([]);
    expect(await sql('select 1 from avatar_files where user_id = $1', [owner.user.id])).toHaveLength(0);
    expectError(await api(url), 404, 'NOT_FOUND');
  });
});
