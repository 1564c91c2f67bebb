/**
 * Decides what an uploaded file is from its bytes alone: the magic number, then the container's
 * structure (every JPEG segment up to the end-of-image marker, every PNG chunk with its CRC up to
 * IEND, the WebP RIFF chunks), which also gives the dimensions before anything is decoded. A file
 * that passes is then decoded for real (image-process.ts); one that does not is never handed to a
 * codec, so truncated or damaged files are refused without running WASM on them.
 *
 * The dimensions are the ones the decoders will use, so the pixel limit is checked on what will
 * really be allocated. A file that declares its size more than once (several JPEG frame headers,
 * a second PNG IHDR, a WebP canvas that differs from its bitstream) is `inconsistent` and refused:
 * MozJPEG decodes the first frame header and only then fails on the second, so a huge first frame
 * followed by a small one would be fully decoded (see test/avatars/image-sniff.test.ts).
 */

export const supportedImageTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof supportedImageTypes)[number];

/** EXIF orientation 1..8 (1 = as stored); only JPEG carries one here. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** A file that passed: its type, the size its decoder will produce, and its EXIF orientation. */
export interface SniffedImage {
  type: ImageType;
  width: number;
  height: number;
  orientation: Orientation;
}

export type SniffResult = ({ ok: true } & SniffedImage) | { ok: false; reason: 'unknown_format' | 'corrupt' | 'animated' | 'inconsistent' };

const corrupt = { ok: false, reason: 'corrupt' } as const;
const inconsistent = { ok: false, reason: 'inconsistent' } as const;

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const ascii = (b: Uint8Array, i: number, length: number) => String.fromCharCode(...b.subarray(i, i + length));

export function sniffImage(bytes: Uint8Array): SniffResult {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes);
  if (bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v)) return sniffPng(bytes);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return sniffWebp(bytes);
  return { ok: false, reason: 'unknown_format' };
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; Huffman or arithmetic). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/**
 * Walks the JPEG segments; after each start-of-scan, the entropy-coded data up to the next marker.
 * Exactly one frame header (SOFn), before the first scan: JPEG's hierarchical mode (several
 * frames) is not supported by the decoder.
 */
function sniffJpeg(b: Uint8Array): SniffResult {
  let width = 0;
  let height = 0;
  let scanned = false;
  let frames = 0;
  let orientation: Orientation = 1;
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return corrupt;
    while (b[i] === 0xff) i++;
    if (i >= b.length) return corrupt;
    const marker = b[i]!;
    i++;
    if (marker === 0xd9) return scanned && width > 0 && height > 0 ? { ok: true, type: 'image/jpeg', width, height, orientation } : corrupt;
    if (isRestart(marker) || marker === 0x01) continue;
    if (i + 2 > b.length) return corrupt;
    const length = u16be(b, i);
    if (length < 2 || i + length > b.length) return corrupt;
    if (marker === 0xe1 && !scanned && orientation === 1) orientation = exifOrientation(b.subarray(i + 2, i + length));
    if (isStartOfFrame(marker)) {
      if (++frames > 1) return inconsistent;
      if (length < 8) return corrupt;
      height = u16be(b, i + 3);
      width = u16be(b, i + 5);
    }
    i += length;
    if (marker === 0xda) {
      if (width === 0 || height === 0) return corrupt;
      scanned = true;
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything else is the next marker.
      while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !isRestart(b[i + 1]!) && b[i + 1] !== 0xff)) i++;
      if (i + 1 >= b.length) return corrupt;
    }
  }
  return corrupt;
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 `Exif` segment; 1 when absent or unreadable. */
export function exifOrientation(app1: Uint8Array): Orientation {
  if (app1.length < 14 || ascii(app1, 0, 6) !== 'Exif\0\0') return 1;
  const tiff = app1.subarray(6);
  const little = ascii(tiff, 0, 2) === 'II';
  if (!little && ascii(tiff, 0, 2) !== 'MM') return 1;
  const u16 = (i: number) => (little ? u16le(tiff, i) : u16be(tiff, i));
  const u32 = (i: number) => (little ? u32le(tiff, i) : u32be(tiff, i));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const entries = u16(ifd);
  for (let e = 0; e < entries; e++) {
    const entry = ifd + 2 + e * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? (value as Orientation) : 1;
    }
  }
  return 1;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Bit depths allowed for each PNG colour type. */
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Walks the PNG chunks, checking each CRC: IHDR first and only once, at least one IDAT, IEND last; APNG refused. */
function sniffPng(b: Uint8Array): SniffResult {
  let i = 8;
  let width = 0;
  let height = 0;
  let sawData = false;
  let first = true;
  while (i + 12 <= b.length) {
    const length = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (i + 12 + length > b.length) return corrupt;
    if (crc32(b.subarray(i + 4, i + 8 + length)) !== u32be(b, i + 8 + length)) return corrupt;
    if (first) {
      if (type !== 'IHDR' || length !== 13) return corrupt;
      width = u32be(b, i + 8);
      height = u32be(b, i + 12);
      const depth = b[i + 16]!;
      const colorType = b[i + 17]!;
      if (width === 0 || height === 0 || !PNG_DEPTHS[colorType]?.includes(depth)) return corrupt;
      first = false;
    } else if (type === 'IHDR') {
      return inconsistent;
    } else if (type === 'acTL') {
      return { ok: false, reason: 'animated' };
    } else if (type === 'IDAT') {
      sawData = true;
    } else if (type === 'IEND') {
      return sawData ? { ok: true, type: 'image/png', width, height, orientation: 1 } : corrupt;
    }
    i += 12 + length;
  }
  return corrupt;
}

/**
 * Checks the RIFF container and reads the size from the one VP8 or VP8L bitstream chunk. An
 * extended file (VP8X first) also declares a canvas, which must equal the bitstream's size (libwebp
 * refuses a still image whose canvas differs from its bitstream).
 */
function sniffWebp(b: Uint8Array): SniffResult {
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd > b.length || riffEnd < 20) return corrupt;
  let i = 12;
  let canvas: { width: number; height: number } | undefined;
  let frame: { width: number; height: number } | undefined;
  while (i + 8 <= riffEnd) {
    const type = ascii(b, i, 4);
    const size = u32le(b, i + 4);
    const data = i + 8;
    if (data + size > riffEnd) return corrupt;
    if (i === 12 && type !== 'VP8X' && type !== 'VP8 ' && type !== 'VP8L') return corrupt;
    if (type === 'VP8X') {
      if (i !== 12 || size < 10) return corrupt;
      if (b[data]! & 0x02) return { ok: false, reason: 'animated' };
      canvas = { width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1 };
    } else if (type === 'VP8 ' || type === 'VP8L') {
      if (frame) return inconsistent;
      if (type === 'VP8 ') {
        if (size < 10 || b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) return corrupt;
        frame = { width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff };
      } else {
        if (size < 5 || b[data] !== 0x2f) return corrupt;
        const bits = u32le(b, data + 1);
        frame = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      }
    } else if (type === 'ANIM' || type === 'ANMF') {
      return { ok: false, reason: 'animated' };
    }
    i = data + size + (size % 2);
  }
  if (!frame || frame.width === 0 || frame.height === 0) return corrupt;
  if (canvas && (canvas.width !== frame.width || canvas.height !== frame.height)) return inconsistent;
  return { ok: true, type: 'image/webp', width: frame.width, height: frame.height, orientation: 1 };
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
