import { describe, expect, it } from 'vitest';
import { api, dbStats, expectError, signedInUser } from '../harness';
import { bands, decodeJpeg, jpeg, upload } from './images';

describe('GET /api/avatars/{userId}/{avatarId}/{file}', () => {
  it('serves each size publicly, cacheable for a year, with the ETag, without a database round trip', async () => {
    const { session } = await signedInUser();
    const uploaded = await upload(session.accessToken, await jpeg(bands(200, 120)));
    expect(uploaded.status).toBe(200);
    const urls = [uploaded.body.data.avatar, ...Object.values<string>(uploaded.body.data.thumbnails)];
    for (const url of urls) {
      const requestId = `avatar-get-${crypto.randomUUID()}`;
      const res = await fetchImage(url, {}, requestId);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+"$/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      const image = await decodeJpeg(new Uint8Array(await res.arrayBuffer()));
      const size = Number(url.split('/').pop()!.replace('.jpg', ''));
      expect([image.width, image.height]).toEqual([size, size]);
      expect(await dbStats(requestId)).toEqual({ roundTrips: 0, statements: 0 });
    }
  });

  it('answers 304 without a body when If-None-Match matches, 200 otherwise', async () => {
    const { session } = await signedInUser();
    const uploaded = await upload(session.accessToken, await jpeg(bands(80, 80)));
    const url = uploaded.body.data.thumbnails.small;
    const first = await fetchImage(url);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetchImage(url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await again.text()).toBe('');
    const weak = await fetchImage(url, { 'if-none-match': `W/${etag}` });
    expect(weak.status).toBe(304);
    const changed = await fetchImage(url, { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  it('is 404 for images that do not exist and 400 for malformed paths', async () => {
    const { user } = await signedInUser();
    expectError(await api(`/api/avatars/${user.id}/${crypto.randomUUID()}/512.jpg`), 404, 'NOT_FOUND');
    expectError(await api(`/api/avatars/${user.id}/${crypto.randomUUID()}/100.jpg`), 400, 'VALIDATION_ERROR');
    expectError(await api(`/api/avatars/not-a-uuid/${crypto.randomUUID()}/64.jpg`), 400, 'VALIDATION_ERROR');
    expect((await api(`/api/avatars/${user.id}/../../etc/passwd`)).status).toBe(404);
  });
});

/** A raw GET through the Worker (the body is an image, not the JSON envelope). */
async function fetchImage(path: string, headers: Record<string, string> = {}, requestId = `avatar-get-${crypto.randomUUID()}`) {
  const { exports } = await import('cloudflare:workers');
  return exports.default.fetch(new Request(`https://api.test${path}`, { headers: { ...headers, 'X-Request-Id': requestId, 'CF-Connecting-IP': '10.9.9.9' } }));
}
