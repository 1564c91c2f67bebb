import { describe, expect, it } from 'vitest';
import { coverSquare, orient } from '../../src/modules/avatars/services/image-process';
import { exifOrientation, sniffImage } from '../../src/modules/avatars/services/image-sniff';
import { bands, jpeg, png, pngClaiming, webp, withOrientation } from './images';

describe('sniffImage', () => {
  it('recognises JPEG, PNG and WebP from their bytes, with their dimensions', async () => {
    expect(sniffImage(await jpeg(bands(300, 200)))).toEqual({ ok: true, type: 'image/jpeg', width: 300, height: 200, orientation: 1 });
    expect(sniffImage(await png(bands(31, 17)))).toEqual({ ok: true, type: 'image/png', width: 31, height: 17, orientation: 1 });
    expect(sniffImage(await webp(bands(640, 400)))).toEqual({ ok: true, type: 'image/webp', width: 640, height: 400, orientation: 1 });
    expect(sniffImage(pngClaiming(5000, 4000))).toMatchObject({ ok: true, width: 5000, height: 4000 });
  });

  it('reads the EXIF orientation of a JPEG', async () => {
    const plain = await jpeg(bands(40, 40));
    for (const o of [1, 3, 6, 8]) expect(sniffImage(withOrientation(plain, o))).toMatchObject({ ok: true, orientation: o });
    expect(exifOrientation(new TextEncoder().encode('Exif\0\0II'))).toBe(1);
    expect(exifOrientation(new Uint8Array([...new TextEncoder().encode('Exif\0\0'), 0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f]))).toBe(1);
  });

  it('refuses unknown formats and damaged files', async () => {
    const j = await jpeg(bands(120, 80));
    const p = await png(bands(120, 80));
    const w = await webp(bands(120, 80));
    expect(sniffImage(new TextEncoder().encode('hello'))).toEqual({ ok: false, reason: 'unknown_format' });
    expect(sniffImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'unknown_format' });
    for (const cut of [j.length - 2, j.length >> 1, 10, 3]) expect(sniffImage(j.slice(0, cut))).toEqual({ ok: false, reason: 'corrupt' });
    for (const cut of [p.length - 1, p.length - 12, 40, 8]) expect(sniffImage(p.slice(0, cut))).toEqual({ ok: false, reason: 'corrupt' });
    for (const cut of [w.length - 1, 30, 12]) expect(sniffImage(w.slice(0, cut))).toEqual({ ok: false, reason: 'corrupt' });
    const flipped = p.slice();
    flipped[40]! ^= 0x01;
    expect(sniffImage(flipped)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('refuses animated WebP (VP8X with the animation flag)', () => {
    const vp8x = new Uint8Array([...new TextEncoder().encode('VP8X'), 10, 0, 0, 0, 0x02, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
    const riff = new Uint8Array([...new TextEncoder().encode('RIFF'), 4 + vp8x.length, 0, 0, 0, ...new TextEncoder().encode('WEBP'), ...vp8x]);
    expect(sniffImage(riff)).toEqual({ ok: false, reason: 'animated' });
  });
});

describe('coverSquare and orient', () => {
  it('keeps the centred square, shrinking by a whole factor above 1024 pixels', () => {
    const square = coverSquare(bands(300, 200));
    expect([square.width, square.height]).toEqual([200, 200]);
    expect([...square.data.subarray(0, 3)]).toEqual([20, 200, 40]);
    const large = coverSquare(bands(2400, 1500));
    expect([large.width, large.height]).toEqual([750, 750]);
    expect([...large.data.subarray(0, 4)]).toEqual([20, 200, 40, 255]);
    expect([...large.data.subarray(large.data.length - 4)]).toEqual([20, 200, 40, 255]);
  });

  it('applies the eight EXIF orientations to a square', () => {
    // 2 x 2: a b / c d
    const [a, b, c, d] = [1, 2, 3, 4];
    const image = { data: new Uint8ClampedArray([a, 0, 0, 255, b, 0, 0, 255, c, 0, 0, 255, d, 0, 0, 255]), width: 2, height: 2 };
    const pixels = (o: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8) => { const r = orient(image, o).data; return [r[0], r[4], r[8], r[12]]; };
    expect(pixels(1)).toEqual([a, b, c, d]);
    expect(pixels(2)).toEqual([b, a, d, c]);
    expect(pixels(3)).toEqual([d, c, b, a]);
    expect(pixels(4)).toEqual([c, d, a, b]);
    expect(pixels(5)).toEqual([a, c, b, d]);
    expect(pixels(6)).toEqual([c, a, d, b]);
    expect(pixels(7)).toEqual([d, b, c, a]);
    expect(pixels(8)).toEqual([b, d, a, c]);
  });
});
