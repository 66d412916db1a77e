/**
 * The smallest and largest of many numbers without spreading them into Math.min / Math.max:
 * a spread passes each value as an argument on the stack, and V8 throws "Maximum call stack size
 * exceeded" from about 120 000 of them (one 224×224 RGB picture holds 150 528 values; a
 * vocabulary or a table column can hold more).
 */

/** The smallest and largest value; Infinity and −Infinity for none. */
export function extremes(values: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/** The index of the largest value (the first of equals); −1 for none. */
export function indexOfLargest(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i] > values[best]) best = i;
  return best;
}
