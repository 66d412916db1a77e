/**
 * The values at given ranks of an array as if it were sorted, without sorting it: one
 * quickselect that splits the wanted ranks at every partition, O(n log r) for r ranks. The
 * dynamics need 9 percentiles of every weight and gradient tensor; onnxruntime's full TopK
 * (a sort) made a recorded step of the CNN template 3 to 4 times slower than a plain one.
 */

/** Below this many values a range is sorted outright. */
const SMALL = 16;

/** `ranks` ascending, each in 0…n−1; returns the value of each rank (NaN sorts last). */
export function orderStatistics(data: Float32Array, ranks: readonly number[]): number[] {
  const a = data.slice();
  const out = new Array<number>(ranks.length);
  // Each task: a range [lo, hi] of `a` and the wanted ranks[from, to) that fall inside it.
  const tasks: [number, number, number, number][] = [[0, a.length - 1, 0, ranks.length]];
  while (tasks.length > 0) {
    const [lo, hi, from, to] = tasks.pop()!;
    if (from >= to) continue;
    if (hi - lo < SMALL) {
      a.subarray(lo, hi + 1).sort();
      for (let r = from; r < to; r++) out[r] = a[ranks[r]];
      continue;
    }
    const pivot = medianOfThree(a[lo], a[(lo + hi) >> 1], a[hi]);
    // Hoare partition: afterwards a[lo..j] ≤ pivot, a[i..hi] ≥ pivot and a[j+1..i−1] = pivot.
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    let r = from;
    const left = r;
    while (r < to && ranks[r] <= j) r++;
    tasks.push([lo, j, left, r]);
    while (r < to && ranks[r] < i) out[r++] = pivot;
    tasks.push([i, hi, r, to]);
  }
  return out;
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x > y) [x, y] = [y, x];
  if (y > z) y = z;
  return x > y ? x : y;
}
