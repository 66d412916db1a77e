/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013) with a fixed
 * bucket size, so it can run incrementally on a live series: buckets whose
 * successor is complete never change again, and an append only re-selects the
 * last one or two buckets. chart.js' own decimation plugin re-runs LTTB over
 * every point of every dataset on each update (≈4 ms per 100k-point dataset,
 * measured in bench/chart-update.mjs), which is what this avoids.
 */
import type { ChartPoint } from './seriesStore';

/** Points drawn per series: between `target` and 2 × `target` once a series is longer. */
export const DEFAULT_TARGET = 400;

/** Bucket size for `count` points: the smallest power of two giving at most 2 × target buckets. */
export function bucketSizeFor(count: number, target: number): number {
  let size = 1;
  while ((count - 2) / size > 2 * target) size *= 2;
  return size;
}

/** Index of the point in [from, to) forming the largest triangle with `a` and the point (avgX, avgY). */
function selectInBucket(
  data: readonly ChartPoint[],
  from: number,
  to: number,
  a: ChartPoint,
  avgX: number,
  avgY: number,
): number {
  let best = from;
  let bestArea = -1;
  for (let i = from; i < to; i++) {
    const p = data[i];
    const area = Math.abs((a.x - avgX) * (p.y - a.y) - (a.x - p.x) * (avgY - a.y));
    if (area > bestArea) {
      bestArea = area;
      best = i;
    }
  }
  return best;
}

function average(data: readonly ChartPoint[], from: number, to: number): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += data[i].x;
    y += data[i].y;
  }
  const n = to - from;
  return [x / n, y / n];
}

/**
 * Appends to `out` the selected point of each bucket of `size` points from
 * `from` up to the last point, each chosen against the previous selection
 * (starting with `a`) and the next bucket's average; then the last point.
 */
function selectBuckets(
  data: readonly ChartPoint[],
  from: number,
  last: number,
  size: number,
  a: ChartPoint,
  out: ChartPoint[],
): ChartPoint[] {
  for (; from < last; from += size) {
    const to = Math.min(from + size, last);
    const nextTo = Math.min(to + size, last);
    const [avgX, avgY] = to < nextTo ? average(data, to, nextTo) : [data[last].x, data[last].y];
    a = data[selectInBucket(data, from, to, a, avgX, avgY)];
    out.push(a);
  }
  out.push(data[last]);
  return out;
}

/**
 * LTTB of data[start, end) with buckets of `size` points between the first and
 * last point (the final bucket may be partial). Returns the points kept, in order.
 */
export function lttbFixed(
  data: readonly ChartPoint[],
  start: number,
  end: number,
  size: number,
): ChartPoint[] {
  if (end - start <= 2 || size <= 1) return data.slice(start, end);
  return selectBuckets(data, start + 1, end - 1, size, data[start], [data[start]]);
}

/**
 * LTTB over a growing array. `update()` returns the downsampled points; its
 * cost is proportional to the points appended since the last call (plus one
 * bucket), except when the bucket size doubles, which recomputes once.
 */
export class IncrementalLttb {
  private size = 1;
  /** [first point, selected points of the buckets that can no longer change]. */
  private readonly settled: ChartPoint[] = [];

  constructor(
    private readonly data: readonly ChartPoint[],
    private readonly target = DEFAULT_TARGET,
  ) {}

  /** A fresh array each call: chart.js patches the arrays it is given, so it never gets the live series. */
  update(): ChartPoint[] {
    const data = this.data;
    const n = data.length;
    const size = bucketSizeFor(n, this.target);
    if (size === 1) return data.slice();
    if (size !== this.size) {
      this.size = size;
      this.settled.length = 0;
    }
    if (this.settled.length === 0) this.settled.push(data[0]);
    const last = n - 1;
    // Bucket j covers [1 + j*size, 1 + (j+1)*size); it is settled once bucket j+1 is complete.
    const complete = Math.floor((last - 1) / size);
    for (let j = this.settled.length - 1; j < complete - 1; j++) {
      const from = 1 + j * size;
      const [avgX, avgY] = average(data, from + size, from + 2 * size);
      this.settled.push(
        data[selectInBucket(data, from, from + size, this.settled[this.settled.length - 1], avgX, avgY)],
      );
    }
    const settled = this.settled;
    const from = 1 + (settled.length - 1) * size;
    return selectBuckets(data, from, last, size, settled[settled.length - 1], settled.slice());
  }
}
