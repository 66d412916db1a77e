/**
 * Type guards for what panels read from a run folder. Files may be written by
 * another version, truncated, or edited by hand: everything read is checked
 * before use, and a record that fails is skipped rather than trusted.
 */
import { isFiniteNumber, isRecord as isObject } from '../protocol/guards';
import {
  isMetricRecord,
  type AttentionSnapshot,
  type ClassReport,
  type EvalReport,
  type MetricRecord,
} from './runFiles';

const isNumber = (value: unknown): value is number => typeof value === 'number';
const optional = <T>(value: unknown, guard: (v: unknown) => v is T): boolean =>
  value === undefined || guard(value);

/** A metrics.jsonl line as a record, or undefined when it is not one (the line is then skipped). */
export function toMetricRecord(value: unknown): MetricRecord | undefined {
  return isMetricRecord(value) ? value : undefined;
}

function isClassReport(value: unknown): value is ClassReport {
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
    optional(value.predictions, isPredictionSample)
  );
}

type AttentionLayer = AttentionSnapshot['layers'][number];

function isAttentionLayer(value: unknown): value is AttentionLayer {
  if (!isObject(value)) return false;
  const { layer, heads, length, probs } = value;
  return (
    Number.isInteger(layer) &&
    Number.isInteger(heads) &&
    Number.isInteger(length) &&
    (heads as number) > 0 &&
    (length as number) > 0 &&
    Array.isArray(probs) &&
    probs.length === (heads as number) * (length as number) * (length as number)
  );
}

export function isAttentionSnapshot(value: unknown): value is AttentionSnapshot {
  return (
    isObject(value) &&
    isFiniteNumber(value.step) &&
    Array.isArray(value.tokens) &&
    value.tokens.every((t) => typeof t === 'string') &&
    Array.isArray(value.layers) &&
    value.layers.every(isAttentionLayer) &&
    value.layers.every((l: AttentionLayer) => l.length === (value.tokens as string[]).length)
  );
}
