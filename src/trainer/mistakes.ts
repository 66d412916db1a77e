/**
 * The mistakes gallery's data: the test examples a classifier got wrong, most confident first,
 * each with its true and predicted class, both probabilities and what the model read (a
 * picture for images, text for character sequences, the values otherwise). Only the
 * `limit` most confident are kept while evaluation streams through the split.
 */
import type { ExampleInput, Mistake } from '../contract/evalReport';
import type { Dataset } from '../data/api';
import { extremes } from '../contract/extremes';

/** Class probabilities of one row of logits: softmax, or a sigmoid for a single bce output. */
export function rowProbabilities(logits: ArrayLike<number>): number[] {
  if (logits.length === 1) {
    const p = 1 / (1 + Math.exp(-logits[0]));
    return [1 - p, p];
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Values stored per picture are rounded: eval.json stays small and a thumbnail needs no more. */
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

/**
 * Pictures are kept at most this many pixels on a side: a mistake's thumbnail shows no more, and
 * 16 mistakes of a 224×224 model would otherwise put 2.4 million numbers into eval.json.
 */
const THUMBNAIL_SIDE = 64;

/** A [channels, height, width] picture shrunk by a whole factor to fit THUMBNAIL_SIDE, each pixel the mean of its block. */
function thumbnail(
  values: number[],
  [channels, height, width]: number[],
): { height: number; width: number; pixels: number[] } {
  const factor = Math.ceil(Math.max(height, width) / THUMBNAIL_SIDE);
  if (factor <= 1) return { height, width, pixels: values };
  const [rows, columns] = [Math.ceil(height / factor), Math.ceil(width / factor)];
  const pixels: number[] = [];
  for (let c = 0; c < channels; c++)
    for (let row = 0; row < rows; row++)
      for (let column = 0; column < columns; column++) {
        let [sum, count] = [0, 0];
        for (let y = row * factor; y < Math.min(height, (row + 1) * factor); y++)
          for (let x = column * factor; x < Math.min(width, (column + 1) * factor); x++) {
            sum += values[(c * height + y) * width + x];
            count++;
          }
        pixels.push(sum / count);
      }
  return { height: rows, width: columns, pixels };
}

/** What one example of `dataset` looks like to a person, from its model input `x`. */
export function describeInput(
  dataset: Pick<Dataset, 'inputKind' | 'inputShape' | 'vocab'>,
  x: ArrayLike<number | bigint>,
): ExampleInput {
  const values = Array.from(x, Number);
  if (dataset.inputKind === 'tokens' && dataset.vocab)
    return { kind: 'text', text: dataset.vocab.decode(values) };
  const [channels] = dataset.inputShape;
  if (dataset.inputShape.length === 3 && (channels === 1 || channels === 3)) {
    const { height, width, pixels } = thumbnail(values, dataset.inputShape);
    // Stretched to the example's own range, as an image viewer shows a scientific image.
    const { min: low, max } = extremes(pixels);
    const span = max - low || 1;
    return { kind: 'image', channels, height, width, pixels: pixels.map((v) => round((v - low) / span)) };
  }
  return { kind: 'values', values: values.map((v) => Number(v.toPrecision(4))) };
}

export class MistakeCollector {
  private kept: Mistake[] = [];
  private seen = 0;

  constructor(
    private readonly dataset: Pick<Dataset, 'inputKind' | 'inputShape' | 'vocab'>,
    private readonly limit: number,
  ) {}

  /** One evaluated batch: its inputs, the model's logits (`width` per example) and the true classes. */
  add(x: ArrayLike<number | bigint>, logits: Float32Array, width: number, actual: number[]): void {
    const perExample = x.length / actual.length;
    actual.forEach((truth, row) => {
      const index = this.seen + row;
      const probabilities = rowProbabilities(logits.subarray(row * width, (row + 1) * width));
      let predicted = 0;
      probabilities.forEach((p, c) => {
        if (p > probabilities[predicted]) predicted = c;
      });
      if (predicted === truth) return;
      const confidence = probabilities[predicted];
      if (this.kept.length >= this.limit && confidence <= this.kept[this.kept.length - 1].confidence) return;
      const input = describeInput(
        this.dataset,
        Array.prototype.slice.call(x, row * perExample, (row + 1) * perExample),
      );
      this.kept.push({
        index,
        actual: truth,
        predicted,
        confidence: round(confidence, 4),
        actualProbability: round(probabilities[truth] ?? 0, 4),
        input,
      });
      // Most confident first; ties in split order, so the report is the same on every run.
      this.kept.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
      if (this.kept.length > this.limit) this.kept.pop();
    });
    this.seen += actual.length;
  }

  mistakes(): Mistake[] {
    return this.kept;
  }
}
