/**
 * One image made into the model's input, on a reader thread (imageReaderThread.ts): its file read,
 * decoded (imageDecode.ts), resampled (imageResample.ts) and kept as 8-bit pixels. A file that
 * cannot be read or decoded comes back as what failed, for the loading thread (imageReaders.ts)
 * to word in the user's language (a reader thread has no translations) and to name the file.
 */
import { readFile } from 'node:fs/promises';
import { decodePixels, type DecodedImage } from './imageDecode';
import { imageFormat } from './imageFiles';
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
  const format = imageFormat(path);
  if (format === undefined) return { index, failure: 'unsupported', detail: path };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { index, failure: 'read', detail: (error as Error).message };
  }
  let image: DecodedImage;
  try {
    image = await decodePixels(format, bytes);
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
