/**
 * Exponential moving average with TensorBoard's debiasing: the first points are
 * divided by (1 - weight^n) so a smoothed curve starts at the data, not at zero.
 * The smoother is incremental so a live append costs O(appended points).
 */
export class EmaSmoother {
  private last = 0;
  private count = 0;

  constructor(readonly weight: number) {
    if (!(weight >= 0 && weight < 1))
      throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  }

  /** Next smoothed value; non-finite inputs pass through without disturbing the average. */
  next(value: number): number {
    if (!Number.isFinite(value)) return value;
    this.last = this.last * this.weight + (1 - this.weight) * value;
    this.count++;
    return this.weight === 0 ? value : this.last / (1 - Math.pow(this.weight, this.count));
  }
}

/** Smooths a whole series at once (same numbers as feeding `EmaSmoother` one by one). */
export function smoothSeries(values: readonly number[], weight: number): number[] {
  const smoother = new EmaSmoother(weight);
  return values.map((value) => smoother.next(value));
}
