/**
 * Image files as RGBA pixels: PNG through pngjs and JPEG (baseline and progressive, grayscale,
 * RGB and Adobe CMYK) through jpeg-js, both pure JavaScript. Which decoder reads a file is decided
 * by its extension, as torchvision's ImageFolder does.
 */
import { extname } from 'node:path';

/** Decoded pixels: `width × height` RGBA bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const DECODERS: Record<string, (bytes: Buffer) => DecodedImage> = {
  '.png': decodePng,
  '.jpg': decodeJpeg,
  '.jpeg': decodeJpeg,
};

/** Whether an image dataset reads this file (by its extension, any case). */
export function isImageFile(name: string): boolean {
  return extname(name).toLowerCase() in DECODERS;
}

/**
 * The pixels of a file `isImageFile` accepts, by its extension; the decoder's own error when the
 * bytes are not such an image (imageJob.ts words it for the user, naming the file).
 */
export function decodePixels(path: string, bytes: Buffer): DecodedImage {
  return DECODERS[extname(path).toLowerCase()](bytes);
}

// The decoders are loaded on first use, not at the top: the editor loads this module at startup
// to validate experiments (the build ships them as `dist/vendor/*.js`, scripts/nodeBundles.mjs).

function decodePng(bytes: Buffer): DecodedImage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  const { PNG } = require('pngjs') as typeof import('pngjs');
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

function decodeJpeg(bytes: Buffer): DecodedImage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  const jpeg = require('jpeg-js') as typeof import('jpeg-js');
  // A photo of up to 100 megapixels decodes; beyond that (or a header claiming it) is refused
  // before the decoder allocates, so one odd file cannot exhaust the training process's memory.
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: 100,
    maxMemoryUsageInMB: 1024,
  });
  return { width: image.width, height: image.height, data: image.data };
}
