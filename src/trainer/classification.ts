/** Classification scores from predicted and true class ids. */
import type { ClassReport } from '../contract/evalReport';

export interface ClassificationScores {
  accuracy: number;
  /**
   * Unweighted mean of the F1 scores of the classes the examples hold or the model predicts, as
   * scikit-learn's f1_score(average="macro") averages: an imported classifier scored on data of
   * two of its ten classes is not averaged with eight classes nothing was counted for.
   */
  macroF1: number;
  classes: ClassReport[];
  /** confusion[true][predicted] = count. */
  confusion: number[][];
}

/** Index of the largest of each row of `width` values. */
export function argmaxRows(values: Float32Array, width: number): Int32Array {
  const rows = values.length / width;
  const result = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let column = 1; column < width; column++) {
      if (values[row * width + column] > values[row * width + best]) best = column;
    }
    result[row] = best;
  }
  return result;
}

/** A ratio that reads as 0 (not NaN) when nothing was counted, as scikit-learn's zero_division=0. */
const ratio = (numerator: number, denominator: number): number =>
  denominator === 0 ? 0 : numerator / denominator;

export function scoreClassification(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  labels: string[],
): ClassificationScores {
  const size = labels.length;
  const confusion = labels.map(() => new Array<number>(size).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    confusion[actual[i]][predicted[i]]++;
    if (actual[i] === predicted[i]) correct++;
  }
  const classes = labels.map((label, c) => {
    const truePositives = confusion[c][c];
    const support = confusion[c].reduce((sum, n) => sum + n, 0);
    const predictedAs = confusion.reduce((sum, row) => sum + row[c], 0);
    const precision = ratio(truePositives, predictedAs);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const counted = classes.filter((c, id) => c.support > 0 || confusion.some((row) => row[id] > 0));
  return {
    accuracy: ratio(correct, actual.length),
    macroF1: ratio(
      counted.reduce((sum, c) => sum + c.f1, 0),
      counted.length,
    ),
    classes,
    confusion,
  };
}
