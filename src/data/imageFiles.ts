/**
 * Which files an image folder reads: PNG and JPEG, by extension (any case), as torchvision's
 * ImageFolder decides. Apart from the decoders (imageDecode.ts), which only reader threads load.
 */
import { extname } from 'node:path';

export type ImageFormat = 'png' | 'jpeg';

const FORMATS: Record<string, ImageFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg' };

/** The format an image folder reads this file as, by its extension; undefined when it reads none. */
export function imageFormat(name: string): ImageFormat | undefined {
  return FORMATS[extname(name).toLowerCase()];
}

/** Whether an image dataset reads this file. */
export function isImageFile(name: string): boolean {
  return imageFormat(name) !== undefined;
}
