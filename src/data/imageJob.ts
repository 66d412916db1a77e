/**
 * One image made into the model's input: its file read, decoded (imageDecode.ts), resampled
 * (imageResample.ts) and kept as 8-bit pixels. The same function serves the readers' threads and
 * the loading thread (imageReaders.ts), so both give the same bytes. A file that cannot be read or
 * decoded comes back as what failed, for the loading thread to word in the user's language (a
 * reader thread has no translations) and to name the file.
 */
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { DataError } from './dataError';
import { decodePixels, isImageFile, type DecodedImage } from './imageDecode';
import { resampleInto } from './imageResample';

/** [channels, height, width] of one example. */
export type ImageShape = [1 | 3, number, number];

/** An image to read: the index of its example, its file, the shape to bring it to. */
export interface ImageJob {
  index: number;
  path: string;
  shape: ImageShape;
}

/** The job's pixels (`channels × height × width` bytes), or why there are none. */
export type ImageOutcome =
  | { index: number; pixels: Uint8Array }
  | { index: number; failure: 'unsupported' | 'read' | 'decode'; detail: string };

export async function readImageJob({ index, path, shape }: ImageJob): Promise<ImageOutcome> {
  // The folder's listing refuses other files first (imageFolder.ts); this is for any other caller.
  if (!isImageFile(path)) return { index, failure: 'unsupported', detail: path };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { index, failure: 'read', detail: (error as Error).message };
  }
  let image: DecodedImage;
  try {
    image = decodePixels(path, bytes);
  } catch (error) {
    return { index, failure: 'decode', detail: (error as Error).message };
  }
  const [channels, height, width] = shape;
  const resized = new Float32Array(channels * height * width);
  resampleInto(image, channels, height, width, resized);
  // Rounded as torchvision's Resize leaves a PIL image: bytes, before ToTensor scales them.
  const pixels = new Uint8Array(resized.length);
  for (let j = 0; j < resized.length; j++)
    pixels[j] = Math.min(255, Math.max(0, Math.round(resized[j] * 255)));
  return { index, pixels };
}

/** The outcome's pixels, or a DataError naming `path` and what to do. */
export function pixelsOf(outcome: ImageOutcome, path: string): Uint8Array {
  if ('pixels' in outcome) return outcome.pixels;
  const messages = {
    unsupported: () => l10n.t('only PNG and JPEG images are supported; convert or remove this file'),
    read: () => l10n.t('the image could not be read ({0})', outcome.detail),
    decode: () => l10n.t('not a readable image ({0})', outcome.detail),
  };
  throw new DataError(messages[outcome.failure](), path);
}
