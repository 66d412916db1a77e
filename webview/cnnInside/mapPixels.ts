/**
 * Pixels of the CNN inside view: each map (or filter) normalised on its own, its lowest value
 * black and its highest white, then written into a grid canvas's RGBA bytes at the layout's
 * scale. Gaps stay transparent, so the canvas's CSS background (a tint of the theme's
 * foreground) shows between maps. Pure, tested in plain Node.
 */
import type { ImageStack } from '../../src/protocol/featureMaps';
import { cellOrigin, type GridLayout } from './gridLayout';

/**
 * Grey levels 0–255 for `length` values from `offset`: the smallest black, the largest white.
 * A map with one value everywhere (a ReLU map that never fires) has no contrast to show and is
 * all black.
 */
export function normalisedLevels(
  values: ArrayLike<number>,
  offset: number,
  length: number,
): Uint8ClampedArray<ArrayBuffer> {
  const { min, max } = valueRange(values, offset, length);
  const levels = new Uint8ClampedArray(length);
  const range = max - min;
  if (!(range > 0)) return levels;
  for (let i = 0; i < length; i++) levels[i] = Math.round(((values[offset + i] - min) / range) * 255);
  return levels;
}

/** The smallest and largest of `length` values from `offset`: what black and white stand for. */
export function valueRange(
  values: ArrayLike<number>,
  offset: number,
  length: number,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return { min, max };
}

/** RGBA bytes of a `layout.canvasWidth` × `layout.canvasHeight` canvas with every channel of `stack` normalised. */
export function gridPixels(stack: ImageStack, layout: GridLayout): Uint8ClampedArray<ArrayBuffer> {
  const { channels, height, width, values } = stack;
  const { canvasWidth, scale } = layout;
  const rgba = new Uint8ClampedArray(canvasWidth * layout.canvasHeight * 4);
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    const levels = normalisedLevels(values, c * plane, plane);
    const origin = cellOrigin(layout, c);
    for (let y = 0; y < height * scale; y++) {
      const row = Math.floor(y / scale) * width;
      let at = ((origin.y + y) * canvasWidth + origin.x) * 4;
      for (let x = 0; x < width * scale; x++, at += 4) {
        const level = levels[row + Math.floor(x / scale)];
        rgba[at] = level;
        rgba[at + 1] = level;
        rgba[at + 2] = level;
        rgba[at + 3] = 255;
      }
    }
  }
  return rgba;
}
