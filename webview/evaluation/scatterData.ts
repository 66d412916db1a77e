/**
 * Points of the predicted-vs-actual scatter and the shared axis range: both
 * axes span the same values (with a little margin) so the y = x diagonal,
 * where a perfect model's points lie, runs corner to corner at 45°.
 */
import * as l10n from '@vscode/l10n';
export interface ScatterPoint {
  x: number;
  y: number;
}

export interface ScatterData {
  /** x = actual, y = predicted. */
  points: ScatterPoint[];
  min: number;
  max: number;
}

export function scatterData(predictions: { actual: number[]; predicted: number[] }): ScatterData {
  const points = predictions.actual.map((x, i) => ({ x, y: predictions.predicted[i] }));
  let min = Infinity;
  let max = -Infinity;
  for (const { x, y } of points) {
    min = Math.min(min, x, y);
    max = Math.max(max, x, y);
  }
  if (points.length === 0) return { points, min: 0, max: 1 };
  // A constant series still needs an axis of non-zero length.
  const margin = max > min ? (max - min) * 0.04 : Math.max(Math.abs(max) * 0.1, 1);
  return { points, min: min - margin, max: max + margin };
}

/** Hover text of one pair; `format` writes values as the stats do. */
export function pairLabel(point: ScatterPoint, format: (value: number) => string): string {
  return l10n.t(
    'actual {0}, predicted {1} (error {2})',
    format(point.x),
    format(point.y),
    format(point.y - point.x),
  );
}

/** Compact figures for values of any magnitude in the data's units (4 significant digits). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e6 || magnitude < 1e-4 ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}
