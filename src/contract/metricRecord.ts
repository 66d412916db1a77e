/** One measured value: a line of metrics.jsonl, one record of a `metrics` event, one point of a chart. */
import { isFiniteNumber, isRecord, isString } from './guards';
import { isSplit, type Split } from './runStatus';

export interface MetricRecord {
  /** Optimizer steps done when the value was measured. */
  step: number;
  /** Epochs completed, fractional: 1.5 is halfway through the second epoch (validation at an epoch's end: whole). */
  epoch: number;
  /** Seconds since the run started. */
  time: number;
  split: Split;
  /** 'loss', 'accuracy', 'f1', 'lr', 'samples_per_sec', 'perplexity', ... */
  name: string;
  value: number;
}

/** A well-formed metric record; files may be truncated or edited by hand, so every field is checked. */
export function isMetricRecord(value: unknown): value is MetricRecord {
  return (
    isRecord(value) &&
    ['step', 'epoch', 'time', 'value'].every((key) => isFiniteNumber(value[key])) &&
    isSplit(value.split) &&
    isString(value.name)
  );
}

/** A metrics.jsonl line as a record, or undefined when it is not one (the line is then skipped). */
export function toMetricRecord(value: unknown): MetricRecord | undefined {
  return isMetricRecord(value) ? value : undefined;
}
