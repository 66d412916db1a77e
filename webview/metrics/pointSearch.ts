/** Binary searches over chart points sorted by x. */
import type { ChartPoint } from './seriesStore';

/** First index whose x is ≥ `x`. */
export function lowerBound(points: readonly ChartPoint[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the point nearest to `x`; -1 when there are none. */
export function nearestIndex(points: readonly ChartPoint[], x: number): number {
  if (points.length === 0) return -1;
  const at = lowerBound(points, x);
  if (at === points.length) return at - 1;
  if (at > 0 && x - points[at - 1].x < points[at].x - x) return at - 1;
  return at;
}
