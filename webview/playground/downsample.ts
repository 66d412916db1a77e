/**
 * What a drawing becomes before the model reads it, exactly as its training data was made.
 *
 * The built-in digits (UCI "Optical Recognition of Handwritten Digits") were scanned as 32×32
 * black-and-white bitmaps, divided into non-overlapping 4×4 blocks, and each block's ink pixels
 * counted (0–16); the loader divides the counts by 16. The drawing is therefore thresholded
 * onto a 32×32 grid, counted in 4×4 blocks, and divided by 16.
 *
 * Other image classifiers (PNG folders) read images resized to their input and scaled to 0–1:
 * the drawing is area-averaged to the input's height × width.
 */
import * as l10n from '@vscode/l10n';

/** ink[y * size + x] in 0–1 (the share of that cell covered) → an 8×8 digit as the loader gives it. */
export function digitsFromInk(ink: ArrayLike<number>, size = 32): number[] {
  if (size !== 32 || ink.length !== 32 * 32) throw new Error(l10n.t('digits are drawn on a 32×32 grid'));
  const out = new Array<number>(64).fill(0);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) if (ink[y * 32 + x] >= 0.5) out[(y >> 2) * 8 + (x >> 2)] += 1;
  return out.map((count) => count / 16);
}

/** ink on a size×size grid, area-averaged to height × width (values 0–1), repeated per channel. */
export function imageFromInk(
  ink: ArrayLike<number>,
  size: number,
  [channels, height, width]: number[],
): number[] {
  const plane = new Array<number>(height * width).fill(0);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [y0, y1] = [Math.floor((y * size) / height), Math.ceil(((y + 1) * size) / height)];
      const [x0, x1] = [Math.floor((x * size) / width), Math.ceil(((x + 1) * size) / width)];
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += ink[yy * size + xx];
      plane[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  return Array.from({ length: channels }, () => plane).flat();
}
