import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, loginAs, newRequestId, registerUser, signedInUser, sql } from '../harness';
import { bands, decodeJpeg, GREEN_PIXEL, jpeg, jpegClaiming, jpegWithSecondFrame, near, png, pngClaiming, pngWithSecondHeader, rgbAt, storedKeys, upload, webp, webpWithCanvas, withOrientation, type Pixels } from './images';

const SIZES = [512, 256, 128, 64];

/** Asserts a user has no avatar anywhere: no R2 object, no row, no URL. */
async function expectNoAvatar(userId: string) {
  expect(await storedKeys(userId)).toEqual([]);
  expect(await sql('select 1 from avatar_files where user_id = $1', [userId])).toHaveLength(0);
  const [user] = await sql<{ avatar_url: string | null }>('select avatar_url from users where id = $1', [userId]);
  expect(user!.avatar_url).toBeNull();
}

/** Reads every stored size and checks it decodes to an exact square of the green centre. */
async function expectRenderedSizes(userId: string, avatarUrl: string) {
  const prefix = avatarUrl.replace('/api/avatars/', 'avatars/').replace(/512\.jpg$/, '');
  expect(await storedKeys(userId)).toEqual(SIZES.map((s) => `${prefix}${s}.jpg`).sort());
  for (const size of SIZES) {
    const object = await env.FILES.get(`${prefix}${size}.jpg`);
    expect(object!.httpMetadata?.contentType).toBe('image/jpeg');
    const bytes = new Uint8Array(await object!.arrayBuffer());
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xff, 0xd8, 0xff]);
    const image = await decodeJpeg(bytes);
    expect([image.width, image.height]).toEqual([size, size]);
    // The cover crop keeps the centre: every corner and the middle are green, no red or blue band.
    for (const [x, y] of [[2, 2], [size - 3, 2], [2, size - 3], [size - 3, size - 3], [size >> 1, size >> 1]] as const) {
      expect(near(rgbAt(image, x, y), GREEN_PIXEL), `${size}px at ${x},${y}: ${rgbAt(image, x, y)}`).toBe(true);
    }
  }
}

describe('POST /api/users/avatar', () => {
  it.each([
    ['JPEG', 'image/jpeg', () => jpeg(bands(300, 200))],
    ['PNG', 'image/png', () => png(bands(200, 330))],
    ['WebP', 'image/webp', () => webp(bands(640, 400))],
  ])('turns a real %s into 512, 256, 128 and 64 pixel JPEGs in R2, in one round trip', async (_name, mimeType, make) => {
    const { user, session } = await signedInUser();
    const bytes = await make();
    const res = await upload(session.accessToken, bytes, 'holiday photo.bin', 'text/plain');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({ mimeType, fileSize: bytes.length, originalFilename: 'holiday photo.bin' });
    expect(data.avatar).toMatch(new RegExp(`^/api/avatars/${user.id}/[0-9a-f-]{36}/512\\.jpg$`));
    expect(data.thumbnails).toEqual({
      small: data.avatar.replace('512.jpg', '64.jpg'),
      medium: data.avatar.replace('512.jpg', '128.jpg'),
      large: data.avatar.replace('512.jpg', '256.jpg'),
    });
    expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 4 });
    await expectRenderedSizes(user.id, data.avatar);

    const [row] = await sql<Record<string, any>>('select * from avatar_files where user_id = $1', [user.id]);
    expect({ ...row, file_size: Number(row!.file_size) }).toMatchObject({ original_filename: 'holiday photo.bin', mime_type: mimeType, file_size: bytes.length, storage_path: data.avatar.replace('/api/avatars/', 'avatars/') });
    expect(JSON.parse(row!.thumbnails)).toEqual({ small: data.thumbnails.small.replace('/api/avatars/', 'avatars/'), medium: data.thumbnails.medium.replace('/api/avatars/', 'avatars/'), large: data.thumbnails.large.replace('/api/avatars/', 'avatars/') });
    const [u] = await sql<{ avatar_url: string }>('select avatar_url from users where id = $1', [user.id]);
    expect(u!.avatar_url).toBe(data.avatar);
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Uploaded an avatar'", [user.id])).toHaveLength(1);
    // The new URL is what /api/auth/me reports.
    expect((await api('/api/auth/me', { token: session.accessToken })).body.data.avatar).toBe(data.avatar);
    // The codecs leave no `self.location` placeholder behind (it breaks @cfworker/json-schema).
    expect('location' in globalThis).toBe(false);
  });

  it('composites transparent pixels over white, and upscales small images', async () => {
    const { user, session } = await signedInUser();
    const res = await upload(session.accessToken, await png(bands(40, 40, 0)), 'clear.png');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const main = await decodeJpeg(await (await env.FILES.get(res.body.data.avatar.replace('/api/avatars/', 'avatars/')))!.arrayBuffer());
    expect([main.width, main.height]).toEqual([512, 512]);
    expect(near(rgbAt(main, 256, 256), [255, 255, 255], 4)).toBe(true);
    expect(await storedKeys(user.id)).toHaveLength(4);
  });

  it('turns the image upright from its EXIF orientation', async () => {
    const { session } = await signedInUser();
    // Left half red, right half blue; orientation 6 means "rotate 90° clockwise to display".
    const image: Pixels = bands(64, 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) image.data.set(x < 32 ? [220, 20, 20, 255] : [20, 40, 220, 255], (y * 64 + x) * 4);
    const res = await upload(session.accessToken, withOrientation(await jpeg(image), 6));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const main = await decodeJpeg(await (await env.FILES.get(res.body.data.avatar.replace('/api/avatars/', 'avatars/')))!.arrayBuffer());
    expect(near(rgbAt(main, 256, 60), [220, 20, 20])).toBe(true);
    expect(near(rgbAt(main, 256, 450), [20, 40, 220])).toBe(true);
  });

  it('replaces the previous avatar: its objects and row are removed once the new one is stored', async () => {
    const { user, session } = await signedInUser();
    const first = await upload(session.accessToken, await jpeg(bands(120, 80)));
    expect(first.status).toBe(200);
    const firstKeys = await storedKeys(user.id);
    expect(firstKeys).toHaveLength(4);
    const second = await upload(session.accessToken, await png(bands(90, 90)), 'second.png');
    expect(second.status).toBe(200);
    expect(second.body.data.avatar).not.toBe(first.body.data.avatar);
    const keys = await storedKeys(user.id);
    expect(keys).toHaveLength(4);
    expect(keys.some((k) => firstKeys.includes(k))).toBe(false);
    const rows = await sql<{ original_filename: string }>('select original_filename from avatar_files where user_id = $1', [user.id]);
    expect(rows).toEqual([{ original_filename: 'second.png' }]);
    expect((await api(first.body.data.avatar)).status).toBe(404);
    expect((await api(second.body.data.avatar)).status).toBe(200);
  });

  it.each([
    ['a text file named like a JPEG', async () => new TextEncoder().encode('just some notes, not a picture\n'.repeat(20)), 'notes.jpg', 'image/jpeg'],
    ['an HTML file declared as PNG', async () => new TextEncoder().encode('<html><script>alert(1)</script></html>'), 'x.png', 'image/png'],
    ['a truncated JPEG', async () => (await jpeg(bands(300, 200))).slice(0, 1500), 'cut.jpg', 'image/jpeg'],
    ['a truncated PNG', async () => { const b = await png(bands(200, 200)); return b.slice(0, b.length - 30); }, 'cut.png', 'image/png'],
    ['a truncated WebP', async () => { const b = await webp(bands(200, 200)); return b.slice(0, b.length >> 1); }, 'cut.webp', 'image/webp'],
    ['a PNG with a damaged chunk', async () => { const b = await png(bands(64, 64)); b[b.length - 20]! ^= 0xff; return b; }, 'bad.png', 'image/png'],
    ['a GIF', async () => new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;'), 'a.gif', 'image/gif'],
    ['an empty file', async () => new Uint8Array(0), 'empty.jpg', 'image/jpeg'],
  ])('refuses %s with 415 and stores nothing', async (_name, make, fileName, type) => {
    const { user, session } = await signedInUser();
    const res = await upload(session.accessToken, await make(), fileName, type);
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectNoAvatar(user.id);
  });

  it('refuses an image with too many pixels before decoding it (413 IMAGE_TOO_LARGE)', async () => {
    const { user, session } = await signedInUser();
    const res = await upload(session.accessToken, pngClaiming(5000, 5000), 'bomb.png');
    expectError(res, 413, 'IMAGE_TOO_LARGE');
    expect(res.body.error.details).toMatchObject({ width: 5000, height: 5000 });
    await expectNoAvatar(user.id);
  });

  it('checks the pixel limit on the size the decoder will use: a JPEG frame header larger than its data', async () => {
    const { user, session } = await signedInUser();
    // MozJPEG decodes such a file at the declared size (grey where data is missing).
    const res = await upload(session.accessToken, jpegClaiming(await jpeg(bands(120, 80)), { width: 3000, height: 2000 }), 'claims.jpg');
    expectError(res, 413, 'IMAGE_TOO_LARGE');
    expect(res.body.error.details).toMatchObject({ maxPixels: 5_000_000, width: 3000, height: 2000 });
    await expectNoAvatar(user.id);
  });

  it.each([
    // A second frame header declaring a larger size (it used to be the size checked; MozJPEG refuses it anyway).
    ['a JPEG with a small, then a huge frame header', async () => jpegWithSecondFrame(await jpeg(bands(120, 80)), { width: 20000, height: 20000 }, 'before-scan')],
    // The decoder uses the first frame (6 megapixels) and decodes it before failing on the second,
    // which declares 120 x 80: a check on the last frame header let it through.
    ['a JPEG with a 6-megapixel frame, then a small one after the first scan', async () => jpegWithSecondFrame(jpegClaiming(await jpeg(bands(120, 80), 92, false), { width: 3000, height: 2000 }), { width: 120, height: 80 }, 'after-first-scan')],
    ['a progressive JPEG with a baseline frame header too', async () => jpegWithSecondFrame(await jpeg(bands(120, 80)), { width: 120, height: 80, marker: 0xc0 }, 'before-scan')],
    // The png crate ignores an IHDR after the data (this one decoded and was stored).
    ['a PNG with a second IHDR after its data', async () => pngWithSecondHeader(await png(bands(120, 80)), 4000, 4000, 'after-data')],
    ['a WebP whose canvas differs from its bitstream', async () => webpWithCanvas(await webp(bands(120, 80)), 2000, 2000)],
  ])('refuses %s before decoding it (415, reason inconsistent)', async (_name, make) => {
    const { user, session } = await signedInUser();
    const res = await upload(session.accessToken, await make(), 'twice.img');
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.details).toMatchObject({ reason: 'inconsistent' });
    await expectNoAvatar(user.id);
  });

  it('refuses a 6 MB upload with a Content-Length without reading the body (413 FILE_TOO_LARGE)', async () => {
    const { user, session } = await signedInUser();
    // 6 MB offered 64 KB at a time: the answer comes before the body has been read.
    const chunks = 96;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
        if (pulled === chunks) controller.close();
      },
    });
    const res = await api('/api/users/avatar', {
      method: 'POST',
      token: session.accessToken,
      raw: true,
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(chunks * 64 * 1024) },
    });
    expect(pulled).toBeLessThan(chunks);
    expectError(res, 413, 'FILE_TOO_LARGE');
    await expectNoAvatar(user.id);
  });

  it('refuses a 6 MB multipart upload, with or without a Content-Length, and stores nothing', async () => {
    const { user, session } = await signedInUser();
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(await jpeg(bands(64, 64)));
    expectError(await upload(session.accessToken, big, 'big.jpg', 'image/jpeg'), 413, 'FILE_TOO_LARGE');

    const multipart = new FormData();
    multipart.append('file', new File([big], 'big.jpg', { type: 'image/jpeg' }));
    const encoded = new Response(multipart);
    const contentType = encoded.headers.get('content-type')!;
    const chunks = new Uint8Array(await encoded.arrayBuffer());
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks.length; i += 256 * 1024) controller.enqueue(chunks.slice(i, i + 256 * 1024));
        controller.close();
      },
    });
    const res = await api('/api/users/avatar', { method: 'POST', token: session.accessToken, raw: true, body: streamed, headers: { 'content-type': contentType } });
    expectError(res, 413, 'FILE_TOO_LARGE');
    await expectNoAvatar(user.id);
  });

  it('refuses a file just over 5 MB inside a body under the multipart allowance', async () => {
    const { user, session } = await signedInUser();
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set(await jpeg(bands(64, 64)));
    expectError(await upload(session.accessToken, big, 'big.jpg', 'image/jpeg'), 413, 'FILE_TOO_LARGE');
    await expectNoAvatar(user.id);
  });

  it('deletes the new objects when the database write fails, keeping the previous avatar', async () => {
    const { user, session } = await signedInUser();
    const before = await upload(session.accessToken, await jpeg(bands(100, 100)));
    expect(before.status).toBe(200);
    const keysBefore = await storedKeys(user.id);
    const requestId = newRequestId('avatar-fault');
    await fetch(`${env.TEST_DB_BASE_URL}/__fault`, { method: 'POST', body: JSON.stringify({ mode: 'error500', requestId }) });
    try {
      const res = await upload(session.accessToken, await png(bands(80, 80)), 'x.png', 'image/png', { requestId });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await fetch(`${env.TEST_DB_BASE_URL}/__fault`, { method: 'POST', body: JSON.stringify({ mode: null, requestId }) });
    }
    expect(await storedKeys(user.id)).toEqual(keysBefore);
    const [u] = await sql<{ avatar_url: string }>('select avatar_url from users where id = $1', [user.id]);
    expect(u!.avatar_url).toBe(before.body.data.avatar);
  });

  it('validates the multipart body: the part must be a file named file, nothing else', async () => {
    const { user, session } = await signedInUser();
    const image = await jpeg(bands(50, 50));
    const wrongName = new FormData();
    wrongName.append('avatar', new File([image], 'a.jpg'));
    expectError(await api('/api/users/avatar', { method: 'POST', token: session.accessToken, body: wrongName, raw: true }), 400, 'VALIDATION_ERROR');
    const text = new FormData();
    text.append('file', 'not a file');
    expectError(await api('/api/users/avatar', { method: 'POST', token: session.accessToken, body: text, raw: true }), 400, 'VALIDATION_ERROR');
    const extra = new FormData();
    extra.append('file', new File([image], 'a.jpg'));
    extra.append('note', 'hi');
    expectError(await api('/api/users/avatar', { method: 'POST', token: session.accessToken, body: extra, raw: true }), 400, 'VALIDATION_ERROR');
    const json = await api('/api/users/avatar', { method: 'POST', token: session.accessToken, body: { file: 'x' } });
    expectError(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectNoAvatar(user.id);
  });

  it('needs a token and the profile:avatar permission', async () => {
    const image = await jpeg(bands(50, 50));
    const form = new FormData();
    form.append('file', new File([image], 'a.jpg'));
    expectError(await api('/api/users/avatar', { method: 'POST', body: form, raw: true }), 401, 'UNAUTHORIZED');
    const user = await registerUser();
    await sql('delete from user_roles where user_id = $1', [user.id]);
    const session = await loginAs(user.email, user.password);
    expectError(await upload(session.accessToken, image), 403, 'FORBIDDEN');
    await expectNoAvatar(user.id);
  });

  it('limits uploads to 10 a minute per user, refused attempts included', async () => {
    const { session } = await signedInUser();
    const other = await signedInUser();
    const junk = new TextEncoder().encode('not an image');
    for (let i = 0; i < 10; i++) expectError(await upload(session.accessToken, junk), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // Fixed one-minute windows: 11 more attempts cannot all fit in the window after the one the first 10 used.
    const image = await jpeg(bands(50, 50));
    let limited = await upload(session.accessToken, image);
    for (let i = 0; i < 10 && limited.status !== 429; i++) limited = await upload(session.accessToken, junk);
    expectError(limited, 429, 'RATE_LIMIT_EXCEEDED');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await upload(other.session.accessToken, await jpeg(bands(50, 50)))).status).toBe(200);
  });
});
