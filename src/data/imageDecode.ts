/**
 * Image files as RGBA pixels, on reader threads only (imageReaderThread.ts). PNG through pngjs.
 * JPEG through libjpeg-turbo's decoder compiled to WebAssembly (mozjpeg, @jsquash/jpeg): the
 * library and settings PIL decodes with, so the pixels are those torchvision's ImageFolder reads,
 * byte for byte, baseline or progressive, at five times jpeg-js's speed. It cannot convert CMYK
 * (Adobe) JPEGs to RGB; jpeg-js decodes those.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as jpegJs from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageFormat } from './imageFiles';

/** Decoded pixels: `width × height` RGBA bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The pixels of a file of `format`; the decoder's own words when the bytes are not such an image. */
export async function decodePixels(format: ImageFormat, bytes: Buffer): Promise<DecodedImage> {
  if (format === 'png') {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  }
  return decodeJpeg(bytes);
}

/** What libjpeg said during the current decode: its errors and warnings, one per line. */
let libjpegSaid: string[] = [];
let libjpeg: Promise<Libjpeg['default']> | undefined;

/** The part of @jsquash/jpeg's decoder Model Lab uses (its declared types leave out Emscripten's options). */
interface Libjpeg {
  init(options: { wasmBinary: Uint8Array; printErr(line: string): void }): Promise<void>;
  default(jpeg: ArrayBuffer): Promise<ImageData>;
}

async function decodeJpeg(bytes: Buffer): Promise<DecodedImage> {
  const decode = await (libjpeg ??= loadLibjpeg());
  libjpegSaid = [];
  let image: ImageData | undefined;
  try {
    image = await decode(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    );
  } catch {
    image = undefined;
  }
  // PIL refuses a file that ends before its image does ("image file is truncated"); libjpeg
  // warns and fills the rest with grey.
  const failure =
    image === undefined ? libjpegSaid.at(-1) : libjpegSaid.find((line) => /^Premature end/.test(line));
  if (failure === undefined && image)
    return {
      width: image.width,
      height: image.height,
      data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length),
    };
  if (failure !== undefined && !/color conversion/.test(failure)) throw new Error(failure);
  // libjpeg cannot give RGB from CMYK (or failed without a word): jpeg-js converts Adobe's inverted
  // CMYK as PIL does. It refuses a photo over 100 megapixels (or a header claiming one) before
  // allocating, so one odd file cannot exhaust memory.
  const cmyk = jpegJs.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: 100,
    maxMemoryUsageInMB: 1024,
  });
  return { width: cmyk.width, height: cmyk.height, data: cmyk.data };
}

/**
 * The WebAssembly decoder, compiled once per thread, its messages kept in `libjpegSaid`. Its file
 * ships beside the bundle (dist/mozjpeg_dec.wasm, esbuild.mjs); from the sources it is the
 * package's own.
 */
async function loadLibjpeg(): Promise<Libjpeg['default']> {
  const wasm = __filename.endsWith('.ts')
    ? createRequire(__filename).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')
    : join(__dirname, 'mozjpeg_dec.wasm');
  const codec = (await import('@jsquash/jpeg/decode.js')) as unknown as Libjpeg;
  await codec.init({ wasmBinary: readFileSync(wasm), printErr: (line) => libjpegSaid.push(line) });
  return codec.default;
}
