/**
 * Pixels of the LSTM/GRU inside view's heatmaps: one series ([steps, units], row-major) as an
 * image `steps` wide and `units` tall (time runs left to right, one row per unit), each value
 * placed on the colour scale of its series' range and looked up in a 256-level palette.
 */
import type { RecurrentSeriesName } from '../../src/protocol/recurrentView';

export interface SeriesRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The colour scale of a series: gates are sigmoids (0 to 1), the hidden state a tanh times a
 * gate (−1 to 1); the cell state is unbounded, so its scale is ± its largest magnitude.
 */
export function seriesRange(name: RecurrentSeriesName, values: ArrayLike<number>): SeriesRange {
  if (name === 'hidden') return { min: -1, max: 1 };
  if (name !== 'cell') return { min: 0, max: 1 };
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  const bound = largest > 0 ? largest : 1;
  return { min: -bound, max: bound };
}

/** RGBA bytes (`out`, steps × units × 4) of `values` [steps, units]: pixel (x = step, y = unit). */
export function paintSeries(
  values: ArrayLike<number>,
  steps: number,
  units: number,
  range: SeriesRange,
  palette: Uint8ClampedArray,
  out: Uint8ClampedArray,
): void {
  const scale = 255 / (range.max - range.min);
  for (let t = 0; t < steps; t++)
    for (let u = 0; u < units; u++) {
      const level = Math.max(0, Math.min(255, Math.round((values[t * units + u] - range.min) * scale))) * 4;
      const o = (u * steps + t) * 4;
      out[o] = palette[level];
      out[o + 1] = palette[level + 1];
      out[o + 2] = palette[level + 2];
      out[o + 3] = 255;
    }
}

/**
 * How strongly a character is tinted for its attribution: its share of the largest magnitude
 * (0 to 1) and whether it supported the predicted class (positive) or spoke against it.
 */
export function attributionShade(
  attribution: readonly number[],
  step: number,
): { strength: number; supports: boolean } {
  const largest = Math.max(...attribution.map(Math.abs));
  const value = attribution[step] ?? 0;
  return { strength: largest > 0 ? Math.abs(value) / largest : 0, supports: value >= 0 };
}
