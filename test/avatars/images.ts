import decodeJpegRaw, { init as initJpegDecoder } from '@jsquash/jpeg/decode';
import encodeJpegRaw, { init as initJpegEncoder } from '@jsquash/jpeg/encode';
import jpegDecoderWasm from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm';
import jpegEncoderWasm from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
import encodePngRaw, { init as initPng } from '@jsquash/png/encode';
import pngWasm from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
import encodeWebpRaw, { init as initWebpEncoder } from '@jsquash/webp/encode';
import webpEncoderWasm from '@jsquash/webp/codec/enc/webp_enc_simd.wasm';
import { removeLocationPlaceholder } from '../../src/modules/avatars/services/image-codecs';
import { crc32 } from '../../src/modules/avatars/services/image-sniff';
import { api, env, type ApiResponse } from '../harness';

// The encoders' glue left a `self.location` placeholder while these imports were evaluated.
removeLocationPlaceholder();

/*
 * Real images for the avatar tests, made with the same WASM encoders (jSquash) the Worker uses
 * to decode: each is three vertical (landscape) or horizontal (portrait) bands, red | green |
 * blue, sized so that the centred square crop is entirely green.
 */

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

const RED = [220, 20, 20] as const;
const GREEN = [20, 200, 40] as const;
const BLUE = [20, 40, 220] as const;
export const GREEN_PIXEL = GREEN;

/** Red | green | blue bands; the centred min(width, height) square is green. */
export function bands(width: number, height: number, alpha = 255): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  const landscape = width >= height;
  const side = Math.min(width, height);
  const margin = Math.floor(((landscape ? width : height) - side) / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = landscape ? x : y;
      const colour = along < margin ? RED : along >= margin + side ? BLUE : GREEN;
      const i = (y * width + x) * 4;
      data[i] = colour[0];
      data[i + 1] = colour[1];
      data[i + 2] = colour[2];
      data[i + 3] = alpha;
    }
  }
  return { data, width, height };
}

type Encoder = (image: never, options?: never) => Promise<ArrayBuffer>;
const asImage = (p: Pixels) => p as never;

/** Creates a codec instance; the glue's `self.location` placeholder is removed as the Worker does. */
async function ready(init: unknown, module: WebAssembly.Module) {
  const pending = (init as (m: WebAssembly.Module) => Promise<unknown>)(module);
  removeLocationPlaceholder();
  await pending;
  removeLocationPlaceholder();
}

/** MozJPEG's output: progressive (one SOF2 frame, several scans) unless `progressive` is false (SOF0, one scan). */
export async function jpeg(p: Pixels, quality = 92, progressive = true): Promise<Uint8Array> {
  await ready(initJpegEncoder, jpegEncoderWasm);
  return new Uint8Array(await (encodeJpegRaw as unknown as Encoder)(asImage(p), { quality, progressive, baseline: !progressive } as never));
}

export async function png(p: Pixels): Promise<Uint8Array> {
  await initPng(pngWasm);
  return new Uint8Array(await (encodePngRaw as unknown as Encoder)(asImage(p)));
}

export async function webp(p: Pixels): Promise<Uint8Array> {
  await ready(initWebpEncoder, webpEncoderWasm);
  return new Uint8Array(await (encodeWebpRaw as unknown as Encoder)(asImage(p), { quality: 90 } as never));
}

export async function decodeJpeg(bytes: ArrayBuffer | Uint8Array): Promise<Pixels> {
  await ready(initJpegDecoder, jpegDecoderWasm);
  const buffer = bytes instanceof Uint8Array ? bytes.slice().buffer : bytes;
  return (await decodeJpegRaw(buffer)) as unknown as Pixels;
}

/** The RGB of a pixel. */
export function rgbAt(p: Pixels, x: number, y: number): [number, number, number] {
  const i = (y * p.width + x) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!];
}

/** True when two colours are within `tolerance` per channel (JPEG is lossy). */
export const near = (a: readonly number[], b: readonly number[], tolerance = 48) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

/** A PNG chunk with its length and CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A structurally valid PNG header claiming `width` x `height` (its pixel data is never decoded). */
export function pngClaiming(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00])), pngChunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** An APP1 Exif segment (big-endian TIFF) carrying only an Orientation tag. */
export function exifApp1(orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const payload = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
  return new Uint8Array([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]);
}

/** A JPEG with an Exif orientation segment inserted after SOI. */
export function withOrientation(jpegBytes: Uint8Array, orientation: number): Uint8Array {
  const app1 = exifApp1(orientation);
  const out = new Uint8Array(jpegBytes.length + app1.length);
  out.set(jpegBytes.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpegBytes.subarray(2), 2 + app1.length);
  return out;
}

/** Uploads bytes as the multipart part `file`. */
export function upload(token: string, bytes: Uint8Array, fileName = 'me.jpg', type = 'application/octet-stream', init: { requestId?: string } = {}): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new File([bytes], fileName, { type }));
  return api('/api/users/avatar', { method: 'POST', token, body: form, raw: true, ...init });
}

/** Every R2 key under a user's avatar prefix. */
export async function storedKeys(userId: string): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: `avatars/${userId}/` });
  return listed.objects.map((o) => o.key).sort();
}

/** A JPEG segment: its marker and where it starts (at 0xFF) and ends. */
interface JpegSegment {
  marker: number;
  start: number;
  end: number;
}

/**
 * The segments of a JPEG up to and including its first scan (SOS with its entropy-coded data).
 * Only for the test images built here: it trusts the structure.
 */
function jpegSegmentsToFirstScan(b: Uint8Array): JpegSegment[] {
  const segments: JpegSegment[] = [];
  let i = 2;
  for (;;) {
    const marker = b[i + 1]!;
    const end = i + 2 + ((b[i + 2]! << 8) | b[i + 3]!);
    if (marker !== 0xda) {
      segments.push({ marker, start: i, end });
      i = end;
      continue;
    }
    let j = end;
    while (!(b[j] === 0xff && b[j + 1] !== 0x00 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7))) j++;
    segments.push({ marker, start: i, end: j });
    return segments;
  }
}

const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** The frame header (SOFn segment) of a JPEG, with another marker or size if asked. */
function frameHeader(jpegBytes: Uint8Array, frame: { width: number; height: number; marker?: number }): Uint8Array {
  const sof = jpegSegmentsToFirstScan(jpegBytes).find((s) => isFrameMarker(s.marker))!;
  const copy = jpegBytes.slice(sof.start, sof.end);
  if (frame.marker !== undefined) copy[1] = frame.marker;
  copy.set([frame.height >> 8, frame.height & 0xff, frame.width >> 8, frame.width & 0xff], 5);
  return copy;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};

/**
 * A JPEG with a second frame header (SOFn) declaring `frame`: right after the real one (both
 * before the first scan), or after the first scan. `marker` makes it another frame type, e.g.
 * 0xC0 (baseline) in a progressive (0xC2) file.
 */
export function jpegWithSecondFrame(jpegBytes: Uint8Array, frame: { width: number; height: number; marker?: number }, where: 'before-scan' | 'after-first-scan'): Uint8Array {
  const segments = jpegSegmentsToFirstScan(jpegBytes);
  const at = where === 'before-scan' ? segments.find((s) => isFrameMarker(s.marker))!.end : segments.at(-1)!.end;
  return concat(jpegBytes.subarray(0, at), frameHeader(jpegBytes, frame), jpegBytes.subarray(at));
}

/** A JPEG whose (only) frame header declares `frame` instead of the encoded size: the scan data no longer matches. */
export function jpegClaiming(jpegBytes: Uint8Array, frame: { width: number; height: number }): Uint8Array {
  const sof = jpegSegmentsToFirstScan(jpegBytes).find((s) => isFrameMarker(s.marker))!;
  return concat(jpegBytes.subarray(0, sof.start), frameHeader(jpegBytes, frame), jpegBytes.subarray(sof.end));
}

/** The chunks of a PNG: type, and where each starts and ends (length and CRC included). */
function pngChunks(b: Uint8Array): { type: string; start: number; end: number }[] {
  const chunks = [];
  for (let i = 8; i < b.length; ) {
    const length = new DataView(b.buffer, b.byteOffset).getUint32(i);
    chunks.push({ type: new TextDecoder().decode(b.subarray(i + 4, i + 8)), start: i, end: i + 12 + length });
    i += 12 + length;
  }
  return chunks;
}

/** A PNG with a second IHDR chunk declaring `width` x `height`, before or after the image data. */
export function pngWithSecondHeader(pngBytes: Uint8Array, width: number, height: number, where: 'before-data' | 'after-data'): Uint8Array {
  const chunks = pngChunks(pngBytes);
  const ihdr = chunks[0]!;
  const data = pngBytes.slice(ihdr.start + 8, ihdr.end - 4);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  const at = where === 'before-data' ? ihdr.end : chunks.findLast((c) => c.type === 'IDAT')!.end;
  return concat(pngBytes.subarray(0, at), pngChunk('IHDR', data), pngBytes.subarray(at));
}

/** A PNG whose IHDR declares `width` x `height` instead of the encoded size: the image data no longer matches. */
export function pngWithHeaderSize(pngBytes: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = pngChunks(pngBytes)[0]!;
  const data = pngBytes.slice(ihdr.start + 8, ihdr.end - 4);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  return concat(pngBytes.subarray(0, ihdr.start), pngChunk('IHDR', data), pngBytes.subarray(ihdr.end));
}

/** A RIFF chunk (padded to an even size). */
function riffChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length % 2));
  out.set(new TextEncoder().encode(type), 0);
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

/**
 * A WebP (simple lossy format, as webp() makes) wrapped in the extended format: a VP8X chunk whose
 * canvas is `width` x `height`, then the original bitstream chunk, which keeps its own size.
 */
export function webpWithCanvas(webpBytes: Uint8Array, width: number, height: number): Uint8Array {
  const vp8x = new Uint8Array(10);
  vp8x.set([(width - 1) & 0xff, ((width - 1) >> 8) & 0xff, (width - 1) >> 16, (height - 1) & 0xff, ((height - 1) >> 8) & 0xff, (height - 1) >> 16], 4);
  const body = concat(new TextEncoder().encode('WEBP'), riffChunk('VP8X', vp8x), webpBytes.subarray(12));
  const header = new Uint8Array(8);
  header.set(new TextEncoder().encode('RIFF'));
  new DataView(header.buffer).setUint32(4, body.length, true);
  return concat(header, body);
}
