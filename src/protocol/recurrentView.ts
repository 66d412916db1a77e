// What an LSTM/GRU model computes over one sequence (the LSTM/GRU inside view), as the
// playground's training process answers it (protocol/playground.ts, playground/recurrent).
import { isFiniteNumber, isNumberArray, isRecord, isString } from '../contract/guards';

/** The series a recurrent layer shows, in the order the view draws them. */
export const RECURRENT_SERIES = {
  lstm: ['hidden', 'cell', 'input', 'forget', 'output'],
  gru: ['hidden', 'update', 'reset'],
} as const;
export type RecurrentSeriesName = (typeof RECURRENT_SERIES)[keyof typeof RECURRENT_SERIES][number];

export interface RecurrentLayerView {
  /** Index of the layer in the experiment's `model.layers`. */
  readonly layer: number;
  readonly type: 'lstm' | 'gru';
  readonly steps: number;
  readonly units: number;
  /** Each series is [steps, units], row-major (values[step * units + unit]). */
  readonly series: { readonly name: RecurrentSeriesName; readonly values: number[] }[];
}

export interface RecurrentView {
  /** Which checkpoint the weights come from, and its training step. */
  readonly checkpoint: 'best' | 'last';
  readonly step: number;
  /** The test example shown, or absent for text the user typed. */
  readonly example?: number;
  /** Examples in the test split: the picker's range is 0 … testExamples − 1. */
  readonly testExamples: number;
  /** Whether the model reads characters the user can type (a name classifier). */
  readonly acceptsText: boolean;
  /** What each step reads: a character ('' for padding), or the step number for numeric series. */
  readonly steps: string[];
  /** The example's true class, for classifiers reading test examples. */
  readonly label?: string;
  /** Classifiers: the class names and the model's probabilities. */
  readonly classes?: string[];
  readonly probabilities?: number[];
  /**
   * Character classifiers: per step, how much the predicted class's probability drops when
   * that character is removed from the input (occlusion); 0 for padding steps.
   */
  readonly attribution?: number[];
  /** Typed characters the model's vocabulary does not have, left out. */
  readonly ignored?: string;
  readonly layers: RecurrentLayerView[];
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function isLayerView(value: unknown): value is RecurrentLayerView {
  if (!isRecord(value) || (value.type !== 'lstm' && value.type !== 'gru')) return false;
  const names: readonly string[] = RECURRENT_SERIES[value.type];
  const size = (value.steps as number) * (value.units as number);
  return (
    isIndex(value.layer) &&
    isCount(value.steps) &&
    isCount(value.units) &&
    Array.isArray(value.series) &&
    value.series.every(
      (s: unknown) =>
        isRecord(s) &&
        isString(s.name) &&
        names.includes(s.name) &&
        isNumberArray(s.values) &&
        s.values.length === size,
    )
  );
}

export function isRecurrentView(value: unknown): value is RecurrentView {
  if (!isRecord(value) || !Array.isArray(value.steps) || !value.steps.every(isString)) return false;
  const steps = value.steps.length;
  const perStep = (v: unknown) => v === undefined || (isNumberArray(v) && v.length === steps);
  return (
    (value.checkpoint === 'best' || value.checkpoint === 'last') &&
    isFiniteNumber(value.step) &&
    (value.example === undefined || isIndex(value.example)) &&
    isIndex(value.testExamples) &&
    typeof value.acceptsText === 'boolean' &&
    (value.label === undefined || isString(value.label)) &&
    (value.classes === undefined || (Array.isArray(value.classes) && value.classes.every(isString))) &&
    (value.probabilities === undefined || isNumberArray(value.probabilities)) &&
    perStep(value.attribution) &&
    (value.ignored === undefined || isString(value.ignored)) &&
    Array.isArray(value.layers) &&
    value.layers.every(isLayerView)
  );
}
