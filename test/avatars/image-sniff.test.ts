import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodePng, decodeWebp } from '../../src/modules/avatars/services/image-codecs';
import { coverSquare, orient, renderAvatar, UndecodableImageError } from '../../src/modules/avatars/services/image-process';
import { exifOrientation, sniffImage } from '../../src/modules/avatars/services/image-sniff';
import { bands, jpeg, jpegClaiming, jpegWithSecondFrame, png, pngClaiming, pngWithHeaderSize, pngWithSecondHeader, webp, webpWithCanvas, withOrientation } from './images';

const inconsistent = { ok: false, reason: 'inconsistent' };

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

describe('sizes declared twice', () => {
  it('refuses a JPEG with a second frame header, wherever it is and whatever it declares', async () => {
    for (const progressive of [true, false]) {
      const small = await jpeg(bands(120, 80), 92, progressive);
      expect(sniffImage(small)).toMatchObject({ ok: true, width: 120, height: 80 });
      // One small and one huge frame, in either order, before or after the first scan.
      expect(sniffImage(jpegWithSecondFrame(small, { width: 20000, height: 20000 }, 'before-scan'))).toEqual(inconsistent);
      expect(sniffImage(jpegWithSecondFrame(small, { width: 20000, height: 20000 }, 'after-first-scan'))).toEqual(inconsistent);
      const hugeFirst = jpegClaiming(small, { width: 20000, height: 20000 });
      expect(sniffImage(jpegWithSecondFrame(hugeFirst, { width: 120, height: 80 }, 'after-first-scan'))).toEqual(inconsistent);
      // A progressive / baseline mix of the same size.
      expect(sniffImage(jpegWithSecondFrame(small, { width: 120, height: 80, marker: progressive ? 0xc0 : 0xc2 }, 'before-scan'))).toEqual(inconsistent);
      expect(sniffImage(jpegWithSecondFrame(small, { width: 120, height: 80, marker: progressive ? 0xc0 : 0xc2 }, 'after-first-scan'))).toEqual(inconsistent);
    }
  });

  it('refuses a PNG with a second IHDR, and a WebP whose canvas differs from its bitstream', async () => {
    const p = await png(bands(120, 80));
    expect(sniffImage(pngWithSecondHeader(p, 20000, 20000, 'before-data'))).toEqual(inconsistent);
    expect(sniffImage(pngWithSecondHeader(p, 20000, 20000, 'after-data'))).toEqual(inconsistent);
    expect(sniffImage(pngWithSecondHeader(p, 120, 80, 'after-data'))).toEqual(inconsistent);
    const w = await webp(bands(120, 80));
    expect(sniffImage(webpWithCanvas(w, 120, 80))).toEqual({ ok: true, type: 'image/webp', width: 120, height: 80, orientation: 1 });
    expect(sniffImage(webpWithCanvas(w, 60, 40))).toEqual(inconsistent);
    expect(sniffImage(webpWithCanvas(w, 16000, 16000))).toEqual(inconsistent);
  });

  /*
   * What the jSquash decoders do with such files (MozJPEG 4 via @jsquash/jpeg 1.6.0, the png crate
   * via @jsquash/png 3.1.1, libwebp via @jsquash/webp 1.5.0). If one of these changes, the sniffer's
   * idea of "the size the decoder will use" must be checked again.
   */
  it('matches what the decoders do: MozJPEG uses the first frame header, decoding it before failing on a second one', async () => {
    const small = await jpeg(bands(120, 80), 92, false);
    // A single frame header larger than the data: decoded at the declared size (the sniffed one).
    const claiming = jpegClaiming(small, { width: 300, height: 200 });
    expect(sniffImage(claiming)).toMatchObject({ ok: true, width: 300, height: 200 });
    expect(await decodeJpeg(claiming.slice().buffer)).toMatchObject({ width: 300, height: 200 });
    // Two frame headers: MozJPEG fails ("two SOF markers"), but only when it meets the second one,
    // after the first frame's pixels (or coefficients) have been allocated and decoded.
    await expect(decodeJpeg(jpegWithSecondFrame(claiming, { width: 120, height: 80 }, 'after-first-scan').slice().buffer)).rejects.toThrow();
    // The png crate refuses an IHDR before the data but ignores one after it; the data must fill the first IHDR.
    const p = await png(bands(120, 80));
    await expect(decodePng(pngWithSecondHeader(p, 240, 160, 'before-data').slice().buffer)).rejects.toThrow();
    expect(await decodePng(pngWithSecondHeader(p, 240, 160, 'after-data').slice().buffer)).toMatchObject({ width: 120, height: 80 });
    await expect(decodePng(pngWithHeaderSize(p, 240, 160).slice().buffer)).rejects.toThrow();
    // libwebp refuses a canvas that differs from the bitstream, before allocating the image.
    const w = await webp(bands(120, 80));
    expect(await decodeWebp(webpWithCanvas(w, 120, 80).slice().buffer)).toMatchObject({ width: 120, height: 80 });
    await expect(decodeWebp(webpWithCanvas(w, 60, 40).slice().buffer)).rejects.toThrow();
  });

  it('refuses a decoded image whose size is not the sniffed one, before resizing or encoding it', async () => {
    const bytes = await png(bands(120, 80));
    const rendering = renderAvatar({ type: 'image/png', width: 80, height: 120, orientation: 1 }, bytes.slice().buffer);
    await expect(rendering).rejects.toBeInstanceOf(UndecodableImageError);
    await expect(rendering).rejects.toMatchObject({ reason: 'inconsistent' });
    expect((await renderAvatar({ type: 'image/png', width: 120, height: 80, orientation: 1 }, bytes.slice().buffer)).size).toBe(4);
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
