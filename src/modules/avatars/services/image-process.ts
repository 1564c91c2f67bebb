import type { RgbaImage } from './image-codecs';
import type { Orientation, SniffedImage } from './image-sniff';

/** The main image and the thumbnails (the original's sizes), largest first: each is resized from the one before. */
export const AVATAR_SIZES = [512, 256, 128, 64] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** JPEG quality of the main image and of the thumbnails (as the original). */
const MAIN_QUALITY = 90;
const THUMBNAIL_QUALITY = 80;

/**
 * Largest image accepted, in pixels (e.g. 2560 x 1920). The codecs decode the whole image into
 * WASM memory and hand back a copy: measured peaks are 10 to 15 bytes per pixel (a 12-megapixel
 * photo needs 140 to 180 MB), and a Worker has 128 MB. Larger photos are refused before decoding
 * (413 IMAGE_TOO_LARGE); clients shrink them first (a canvas in the browser). The limit applies to
 * the sniffed size, which is the size the decoders use (see image-sniff.ts).
 */
export const MAX_PIXELS = 5_000_000;

/**
 * The decoder failed (`undecodable`), or produced an image of another size than the one sniffed
 * from the headers (`inconsistent`): either way the upload is refused (415).
 */
export class UndecodableImageError extends Error {
  override readonly name = 'UndecodableImageError';
  constructor(
    message: string,
    readonly reason: 'undecodable' | 'inconsistent' = 'undecodable',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The codecs are loaded on first use, never at Worker start-up (see image-codecs.ts). */
let codecs: Promise<typeof import('./image-codecs')> | undefined;
const loadCodecs = () =>
  (codecs ??= import('./image-codecs').catch((error: unknown) => {
    codecs = undefined;
    throw error;
  }));

/**
 * Decodes the image; its size must be the sniffed one. jSquash has no header-only call, so a
 * disagreement is only seen once the decoder returns: the pixels are then dropped before anything
 * is resized or stored. The sniffer reads the header fields the decoders use and refuses files
 * that declare their size twice, so this is a backstop (a decoder that changed its mind).
 */
async function decode(expected: SniffedImage, bytes: ArrayBuffer): Promise<RgbaImage> {
  const c = await loadCodecs();
  let image: RgbaImage;
  try {
    const { type } = expected;
    image = type === 'image/jpeg' ? await c.decodeJpeg(bytes) : type === 'image/png' ? await c.decodePng(bytes) : await c.decodeWebp(bytes);
  } catch (error) {
    throw new UndecodableImageError(`The ${expected.type} decoder failed`, 'undecodable', { cause: error });
  }
  if (!image || image.width <= 0 || image.height <= 0 || image.data.length !== image.width * image.height * 4) {
    throw new UndecodableImageError('The decoder returned no image');
  }
  if (image.width !== expected.width || image.height !== expected.height) {
    throw new UndecodableImageError(`The decoder produced ${image.width}x${image.height}, the headers declare ${expected.width}x${expected.height}`, 'inconsistent');
  }
  return image;
}

/**
 * Largest side handed to the WASM resizer: it works in 32-bit floats (16 bytes per pixel), so a
 * 1024 x 1024 input needs about 17 MB.
 */
const MAX_RESIZE_INPUT = 1024;

/**
 * The centred square of the image (a cover crop), shrunk by the smallest whole factor that brings
 * it to MAX_RESIZE_INPUT or less, with a box filter on premultiplied alpha: one pass over the
 * decoded pixels, and the only new buffer is the (at most 4 MB) result. A side of 1024 or more
 * stays at least 512 wide, so the Lanczos resize that follows never enlarges.
 */
export function coverSquare(image: RgbaImage): RgbaImage {
  const side = Math.min(image.width, image.height);
  const left = Math.floor((image.width - side) / 2);
  const top = Math.floor((image.height - side) / 2);
  const factor = Math.ceil(side / MAX_RESIZE_INPUT);
  const out = Math.floor(side / factor);
  const src = image.data;
  const dst = new Uint8ClampedArray(out * out * 4);
  // The factor x factor block centred in the square: trim what does not divide evenly.
  const x0 = left + Math.floor((side - out * factor) / 2);
  const y0 = top + Math.floor((side - out * factor) / 2);
  if (factor === 1) {
    for (let y = 0; y < out; y++) {
      const from = ((y0 + y) * image.width + x0) * 4;
      dst.set(src.subarray(from, from + out * 4), y * out * 4);
    }
    return { data: dst, width: out, height: out };
  }
  for (let oy = 0; oy < out; oy++) {
    for (let ox = 0; ox < out; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((y0 + oy * factor + dy) * image.width + x0 + ox * factor) * 4;
        for (let dx = 0; dx < factor; dx++, i += 4) {
          const alpha = src[i + 3]!;
          r += src[i]! * alpha;
          g += src[i + 1]! * alpha;
          b += src[i + 2]! * alpha;
          a += alpha;
        }
      }
      const o = (oy * out + ox) * 4;
      if (a > 0) {
        dst[o] = r / a;
        dst[o + 1] = g / a;
        dst[o + 2] = b / a;
      }
      dst[o + 3] = a / (factor * factor);
    }
  }
  return { data: dst, width: out, height: out };
}

/**
 * Applies an EXIF orientation to a square image (a new buffer). The cover crop of a rotated or
 * mirrored image is the rotated or mirrored cover crop, so orientation is applied last, on the
 * small square, instead of on the full decoded image.
 */
export function orient(image: RgbaImage, orientation: Orientation): RgbaImage {
  if (orientation === 1) return image;
  const n = image.width;
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, n * n);
  const out = new Uint8ClampedArray(n * n * 4);
  const dst = new Uint32Array(out.buffer);
  const last = n - 1;
  const from: Record<Exclude<Orientation, 1>, (x: number, y: number) => number> = {
    2: (x, y) => y * n + (last - x),
    3: (x, y) => (last - y) * n + (last - x),
    4: (x, y) => (last - y) * n + x,
    5: (x, y) => x * n + y,
    6: (x, y) => (last - x) * n + y,
    7: (x, y) => (last - x) * n + (last - y),
    8: (x, y) => x * n + (last - y),
  };
  const pick = from[orientation];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) dst[y * n + x] = src[pick(x, y)]!;
  return { data: out, width: n, height: n };
}

/** JPEG has no alpha: transparent pixels are composited over white (in place). */
export function flattenOnWhite(image: RgbaImage): RgbaImage {
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    const alpha = d[i + 3]!;
    if (alpha === 255) continue;
    const a = alpha / 255;
    d[i] = d[i]! * a + 255 * (1 - a);
    d[i + 1] = d[i + 1]! * a + 255 * (1 - a);
    d[i + 2] = d[i + 2]! * a + 255 * (1 - a);
    d[i + 3] = 255;
  }
  return image;
}

/**
 * Decodes an image whose type, size and orientation were established by sniffImage and renders
 * the avatar: a 512x512 cover crop and the 256, 128 and 64 thumbnails, as JPEG.
 */
export async function renderAvatar(image: SniffedImage, bytes: ArrayBuffer): Promise<Map<AvatarSize, Uint8Array>> {
  const c = await loadCodecs();
  let current = coverSquare(await decode(image, bytes));
  const rendered = new Map<AvatarSize, Uint8Array>();
  for (const size of AVATAR_SIZES) {
    current = await c.resizeSquare(current, size);
    if (size === AVATAR_SIZES[0]) current = orient(current, image.orientation);
    const copy = { data: new Uint8ClampedArray(current.data), width: size, height: size };
    const jpeg = await c.encodeJpeg(flattenOnWhite(copy), size === 512 ? MAIN_QUALITY : THUMBNAIL_QUALITY);
    rendered.set(size, new Uint8Array(jpeg));
  }
  return rendered;
}
