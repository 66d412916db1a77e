/**
 * Regression scores of a split, accumulated batch by batch: mean absolute
 * error, root mean squared error, R² (coefficient of determination) over all
 * targets, and an evenly spaced, bounded sample of (actual, predicted) pairs
 * for a scatter plot. Values arrive in the data's units (the caller undoes
 * any loader scaling first).
 */

export interface RegressionScores {
  mae: number;
  rmse: number;
  /**
   * 1 − SS_res / SS_tot. When every actual value is the same (SS_tot = 0) the
   * ratio is undefined; as scikit-learn does, R² is then 1 for an exact fit and
   * 0 otherwise (no better than predicting the mean, which is that value).
   */
  r2: number;
  /** At most the sample limit of pairs, taken evenly through the split in order. */
  predictions: { actual: number[]; predicted: number[] };
}

/** Enough points to show the shape of a scatter without bloating eval.json. */
export const PREDICTION_SAMPLE_LIMIT = 2000;

export class RegressionScorer {
  private count = 0;
  private absoluteErrorSum = 0;
  private squaredErrorSum = 0;
  // Welford's running mean and sum of squared deviations of the actual values:
  // SS_tot without the cancellation of Σy² − n·ȳ² on series far from zero.
  private mean = 0;
  private deviationSquares = 0;
  private readonly actual: number[] = [];
  private readonly predicted: number[] = [];
  private nextSample = 0;

  /**
   * @param expectedCount how many targets the split holds, so the sample can
   *   be spread over all of them; positions ⌊k · expectedCount / limit⌋ are kept.
   */
  constructor(
    private readonly expectedCount: number,
    private readonly limit = PREDICTION_SAMPLE_LIMIT,
  ) {}

  add(actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
    for (let i = 0; i < actual.length; i++) this.addPair(actual[i], predicted[i]);
  }

  scores(): RegressionScores {
    const n = this.count;
    const r2 =
      this.deviationSquares > 0
        ? 1 - this.squaredErrorSum / this.deviationSquares
        : this.squaredErrorSum === 0
          ? 1
          : 0;
    return {
      mae: n === 0 ? NaN : this.absoluteErrorSum / n,
      rmse: n === 0 ? NaN : Math.sqrt(this.squaredErrorSum / n),
      r2: n === 0 ? NaN : r2,
      predictions: { actual: this.actual, predicted: this.predicted },
    };
  }

  private addPair(actual: number, predicted: number): void {
    const index = this.count++;
    const error = predicted - actual;
    this.absoluteErrorSum += Math.abs(error);
    this.squaredErrorSum += error * error;
    const delta = actual - this.mean;
    this.mean += delta / this.count;
    this.deviationSquares += delta * (actual - this.mean);
    if (index === this.samplePosition(this.nextSample)) {
      this.nextSample++;
      // A diverged prediction (NaN, ±Infinity) cannot be plotted nor written to JSON.
      if (Number.isFinite(predicted) && Number.isFinite(actual)) {
        this.actual.push(actual);
        this.predicted.push(predicted);
      }
    }
  }

  /** Index of the k-th sampled target, or -1 once the sample is full. */
  private samplePosition(k: number): number {
    if (k >= this.limit) return -1;
    return this.expectedCount <= this.limit ? k : Math.floor((k * this.expectedCount) / this.limit);
  }
}
