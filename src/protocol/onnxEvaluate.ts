// Channel: extension host <-> training process, "Evaluate on data…" of the .onnx model view: the
// model as it is, scored on every example of a data file the user chose. Running the model needs
// onnxruntime, which the extension host never loads, so a forked training process answers.
// It shares the IPC pipe with the other channels: every `type` here starts with `onnxEvaluate/`.
import { isClassReport, type ClassReport } from '../contract/evalReport';
import type { Experiment } from '../contract/experiment';
import { hasType, isFiniteNumber, isRecord, isString } from '../contract/guards';

/**
 * Host -> process: score the model at `model` (absolute path) on the data at `data` (absolute
 * path). `sizes`: the length of each named axis of an example the user gave (a sequence length
 * the export left open), as an experiment's `model.sizes`.
 */
export interface OnnxEvaluateRequest {
  readonly type: 'onnxEvaluate/run';
  readonly model: string;
  readonly data: string;
  readonly sizes?: Readonly<Record<string, number>>;
}

const isSizes = (value: unknown): boolean =>
  isRecord(value) && Object.values(value).every((v) => Number.isInteger(v) && (v as number) >= 1);

export interface OnnxEvaluation {
  readonly task: Experiment['task'];
  /** Examples scored. */
  readonly count: number;
  /**
   * Metric name → value, as eval.json and metrics.jsonl name them (loss, accuracy, mae…);
   * null: not a finite number (JSON carries NaN as null), e.g. a loss of non-finite outputs.
   */
  readonly values: Readonly<Record<string, number | null>>;
  /** A classifier's scores per class, for the classes the examples hold or the model predicted. */
  readonly classes?: readonly ClassReport[];
}

/** Process -> host: the scores. */
export interface OnnxEvaluateReportMessage {
  readonly type: 'onnxEvaluate/report';
  readonly report: OnnxEvaluation;
}

/** Process -> host: the data or the model could not be used; the message names the file and why. */
export interface OnnxEvaluateFailureMessage {
  readonly type: 'onnxEvaluate/failure';
  readonly message: string;
}

export type OnnxEvaluateReply = OnnxEvaluateReportMessage | OnnxEvaluateFailureMessage;

export function isOnnxEvaluateRequest(value: unknown): value is OnnxEvaluateRequest {
  return (
    hasType(value, 'onnxEvaluate/run') &&
    isString(value.model) &&
    isString(value.data) &&
    (value.sizes === undefined || isSizes(value.sizes))
  );
}

export function isOnnxEvaluation(value: unknown): value is OnnxEvaluation {
  return (
    isRecord(value) &&
    (value.task === 'classification' || value.task === 'regression' || value.task === 'language-model') &&
    isFiniteNumber(value.count) &&
    isRecord(value.values) &&
    Object.values(value.values).every((v) => typeof v === 'number' || v === null) &&
    (value.classes === undefined || (Array.isArray(value.classes) && value.classes.every(isClassReport)))
  );
}

export function isOnnxEvaluateReply(value: unknown): value is OnnxEvaluateReply {
  if (hasType(value, 'onnxEvaluate/report')) return isOnnxEvaluation(value.report);
  if (hasType(value, 'onnxEvaluate/failure')) return isString(value.message);
  return false;
}
