/**
 * eval.json: the test-split report of a finished run. It only gains optional
 * fields, so old files still open; files may be written by another version,
 * truncated or edited by hand, so `isEvalReport` checks each field before a
 * panel trusts it.
 */
import { isFiniteNumber, isRecord as isObject } from './guards';

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * The ids of the classes the examples hold or the model predicted (a column of the confusion
 * matrix), as scikit-learn's labels=None takes them: a model of a thousand classes scored on
 * three is reported, averaged and drawn over those. Every class without a confusion matrix.
 */
export function countedClasses(
  classes: readonly ClassReport[],
  confusion?: readonly (readonly number[])[],
): number[] {
  return classes.flatMap((c, id) =>
    c.support > 0 || (confusion?.some((row) => row[id] > 0) ?? true) ? [id] : [],
  );
}

/** What the model read for one example, as the mistakes gallery shows it. */
export type ExampleInput =
  /** An image, channels first (1 grey or 3 RGB), each value 0–1 (the example's own range stretched). */
  | { kind: 'image'; channels: 1 | 3; height: number; width: number; pixels: number[] }
  /** A sequence of characters (padding removed). */
  | { kind: 'text'; text: string }
  /** Anything else: the feature values as the model read them. */
  | { kind: 'values'; values: number[] };

/** A test example the classifier got wrong. */
export interface Mistake {
  /** Position in the test split, in the order evaluation reads it. */
  index: number;
  /** True and predicted class ids. */
  actual: number;
  predicted: number;
  /** The model's probability of its (wrong) prediction, and of the true class. */
  confidence: number;
  actualProbability: number;
  input: ExampleInput;
}

/** How many wrong examples eval.json keeps: the most confident ones. */
export const MAX_MISTAKES = 120;

export interface EvalReport {
  split: 'test';
  count: number;
  loss: number;
  accuracy?: number;
  /** Classification: per class, in label order. */
  classes?: ClassReport[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion?: number[][];
  /** Language models. */
  perplexity?: number;
  sample?: string;
  /** Regression: mean absolute error, root mean squared error, R² over all test targets. */
  mae?: number;
  rmse?: number;
  /** 1 − SS_res / SS_tot; when all actual values are equal: 1 for an exact fit, else 0. */
  r2?: number;
  /**
   * Regression: what mae, rmse and predictions are measured in. 'data': the
   * target column's own units (any loader scaling undone); 'scaled': the
   * loader's scaled units. Absent in files written before it was recorded
   * (series runs then reported scaled units).
   */
  units?: 'data' | 'scaled';
  /** Regression: up to 2,000 (actual, predicted) pairs taken evenly through the test split, in order. */
  predictions?: { actual: number[]; predicted: number[] };
  /** Classification: up to MAX_MISTAKES wrong test examples, most confident first. */
  mistakes?: Mistake[];
}

const isNumber = (value: unknown): value is number => typeof value === 'number';
const optional = <T>(value: unknown, guard: (v: unknown) => v is T): boolean =>
  value === undefined || guard(value);

export function isClassReport(value: unknown): value is ClassReport {
  return (
    isObject(value) &&
    typeof value.label === 'string' &&
    isNumber(value.precision) &&
    isNumber(value.recall) &&
    isNumber(value.f1) &&
    isNumber(value.support)
  );
}

function isMatrix(value: unknown): value is number[][] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every(isFiniteNumber));
}

type PredictionSample = NonNullable<EvalReport['predictions']>;

/** Paired columns of finite numbers, as the scatter plot draws them. */
function isPredictionSample(value: unknown): value is PredictionSample {
  if (!isObject(value)) return false;
  const { actual, predicted } = value;
  return (
    Array.isArray(actual) &&
    Array.isArray(predicted) &&
    actual.length === predicted.length &&
    actual.every(isFiniteNumber) &&
    predicted.every(isFiniteNumber)
  );
}

const isProbability = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function isExampleInput(value: unknown): value is ExampleInput {
  if (!isObject(value)) return false;
  if (value.kind === 'text') return typeof value.text === 'string';
  if (value.kind === 'values') return Array.isArray(value.values) && value.values.every(isFiniteNumber);
  if (value.kind !== 'image') return false;
  const { channels, height, width, pixels } = value;
  return (
    (channels === 1 || channels === 3) &&
    isIndex(height) &&
    isIndex(width) &&
    Array.isArray(pixels) &&
    pixels.length === channels * height * width &&
    pixels.every(isProbability)
  );
}

function isMistake(value: unknown): value is Mistake {
  return (
    isObject(value) &&
    isIndex(value.index) &&
    isIndex(value.actual) &&
    isIndex(value.predicted) &&
    isProbability(value.confidence) &&
    isProbability(value.actualProbability) &&
    isExampleInput(value.input)
  );
}

/** A well-formed eval.json (or the report of an `eval` event), every present field checked. */
export function isEvalReport(value: unknown): value is EvalReport {
  return (
    isObject(value) &&
    value.split === 'test' &&
    isNumber(value.count) &&
    isNumber(value.loss) &&
    optional(value.accuracy, isNumber) &&
    optional(value.classes, (v): v is ClassReport[] => Array.isArray(v) && v.every(isClassReport)) &&
    optional(value.confusion, isMatrix) &&
    optional(value.perplexity, isNumber) &&
    optional(value.sample, (v): v is string => typeof v === 'string') &&
    optional(value.mae, isNumber) &&
    optional(value.rmse, isNumber) &&
    optional(value.r2, isNumber) &&
    optional(value.units, (v): v is EvalReport['units'] => v === 'data' || v === 'scaled') &&
    optional(value.predictions, isPredictionSample) &&
    optional(value.mistakes, (v): v is Mistake[] => Array.isArray(v) && v.every(isMistake))
  );
}
