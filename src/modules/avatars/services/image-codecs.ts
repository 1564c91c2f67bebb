/**
 * The WASM image codecs (jSquash: MozJPEG, libwebp, Rust png and resize), with their `.wasm`
 * files imported as modules so nothing is compiled at run time. Loaded only through a dynamic
 * `import()` from image-process.ts, so none of this runs at Worker start-up.
 */
import decodeJpegRaw, { init as initJpegDecoder } from '@jsquash/jpeg/decode';
import encodeJpegRaw, { init as initJpegEncoder } from '@jsquash/jpeg/encode';
import jpegDecoderWasm from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm';
import jpegEncoderWasm from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
import decodePngRaw, { init as initPng } from '@jsquash/png/decode';
import pngWasm from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
import resizeRaw, { initResize } from '@jsquash/resize';
import resizeWasm from '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm';
import decodeWebpRaw, { init as initWebpDecoder } from '@jsquash/webp/decode';
import webpDecoderWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';

/** Decoded pixels: RGBA, 4 bytes per pixel, row by row. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

type EmscriptenInit = (module: WebAssembly.Module) => Promise<void>;

/**
 * jSquash's glue code sets `self.location = { href: '' }` when it is evaluated (png, resize) and
 * when an Emscripten instance is created (MozJPEG, libwebp). @cfworker/json-schema (the setting
 * templates) reads `self.location` when it is loaded and fails with "Invalid URL string" if that
 * placeholder is there. Nothing reads it afterwards, so it is removed at once: the order in which
 * the two libraries load no longer matters.
 */
export function removeLocationPlaceholder() {
  const location: unknown = Reflect.get(globalThis, 'location');
  if (location && typeof location === 'object' && Object.keys(location).join() === 'href' && (location as { href: unknown }).href === '') {
    Reflect.deleteProperty(globalThis, 'location');
  }
}

removeLocationPlaceholder();

/**
 * The Emscripten codecs (MozJPEG, libwebp) get a fresh instance per call: a failed decode can
 * abort an instance, and a fresh one lets the previous image's memory be collected.
 */
async function fresh(init: unknown, module: WebAssembly.Module) {
  const ready = (init as EmscriptenInit)(module);
  removeLocationPlaceholder();
  await ready;
}

export async function decodeJpeg(bytes: ArrayBuffer): Promise<RgbaImage> {
  await fresh(initJpegDecoder, jpegDecoderWasm);
  return (await decodeJpegRaw(bytes)) as unknown as RgbaImage;
}

export async function decodeWebp(bytes: ArrayBuffer): Promise<RgbaImage> {
  await fresh(initWebpDecoder, webpDecoderWasm);
  return (await decodeWebpRaw(bytes)) as unknown as RgbaImage;
}

export async function decodePng(bytes: ArrayBuffer): Promise<RgbaImage> {
  await initPng(pngWasm);
  return (await decodePngRaw(bytes)) as unknown as RgbaImage;
}

/**
 * Resizes to exactly `size` x `size` (the input is already square): Lanczos3 with premultiplied
 * alpha, in gamma space (linear-light resampling costs about twice the time for no visible gain at
 * these sizes).
 */
export async function resizeSquare(image: RgbaImage, size: number): Promise<RgbaImage> {
  await initResize(resizeWasm);
  const out = await resizeRaw(image as unknown as Parameters<typeof resizeRaw>[0], { width: size, height: size, method: 'lanczos3', fitMethod: 'stretch', premultiply: true, linearRGB: false });
  return out as unknown as RgbaImage;
}

/** Baseline (not progressive) MozJPEG: about a third of the encoding time, files within a few percent. */
export async function encodeJpeg(image: RgbaImage, quality: number): Promise<ArrayBuffer> {
  await fresh(initJpegEncoder, jpegEncoderWasm);
  return encodeJpegRaw(image as unknown as Parameters<typeof encodeJpegRaw>[0], { quality, progressive: false });
}
