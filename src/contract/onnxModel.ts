/**
 * What Model Lab says about an ONNX file: its summary (the .onnx model view) and the answer of
 * the compatibility check ("can Model Lab train this model?", the view's Check button and
 * `model-lab onnx check`). The engine computes both; the extension host and the webview only
 * show them, so each has one deep guard here for every receiver.
 */
import { isFiniteNumber, isNumberArray, isRecord, isString } from './guards';
import { isTrainingMemory, type TrainingMemory } from './modelSummary';

/** A declared dimension: a number, or the name of a symbolic one ('batch'), '?' when unnamed. */
export type OnnxDimension = number | string;

export interface OnnxTensorInfo {
  name: string;
  /** float32, int64, … (or "element type N" for types Model Lab does not read). */
  dtype: string;
  dims: OnnxDimension[];
}

export interface OnnxInitializerInfo {
  name: string;
  dtype: string;
  dims: number[];
  /** Number of values. */
  size: number;
  /** A parameter that fine-tuning updates (float, on the path to the output, not frozen). */
  trainable: boolean;
}

/** One node, in graph order. */
export interface OnnxLayerInfo {
  name: string;
  opType: string;
  /** The initializers it reads (its weights). */
  initializers: string[];
}

export interface OnnxModelSummary {
  opset: number;
  producer: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  /** Every op type with its nodes, in order of first appearance. */
  ops: OnnxOpSupport[];
  initializers: OnnxInitializerInfo[];
  /** Values held by float initializers (their Identity copies included, as in the model's state). */
  parameterCount: number;
  /** Values that fine-tuning updates. */
  trainableCount: number;
  layers: OnnxLayerInfo[];
  /** Why Model Lab cannot fine-tune the model as it stands, when it cannot. */
  importProblem?: string;
  /** Named axes of an example (a sequence length) whose size fine-tuning asks for. */
  unsizedAxes?: string[];
  /** Graph inputs fine-tuning fills with one value (an attention mask with 1), by input name. */
  filledInputs?: Record<string, number>;
  /**
   * A Hugging Face tokenizer.json saved beside the model: Fine-tune… reads texts through it, and
   * these inputs are computed from the token ids instead (the padding's mask, a pair's type ids).
   */
  tokenizer?: OnnxTokenizerInfo;
  /** The class names its one output scores, when the model names them (metadata, or a config.json beside it). */
  classes?: string[];
  /**
   * A Model Lab model.onnx of a table: the columns its input row is made of, by name (its
   * metadata's input encoding), the categorical ones one-hot encoded.
   */
  tableColumns?: { numeric: string[]; categorical: string[] };
  /** Estimated memory of a fine-tuning step with the scaffold's batch size and optimizer, when it can. */
  memory?: TrainingMemory;
}

export interface OnnxTokenizerInfo {
  file: string;
  fromIds: Record<string, 'mask' | 'types'>;
}

export type OnnxVerdict = 'trainable' | 'unsupported' | 'numeric-check-failed';

export interface OnnxOpSupport {
  opType: string;
  supported: boolean;
  nodes: string[];
  /** Why not, for unsupported ops (first node's reason). */
  reason?: string;
}

export interface GradientCheck {
  parameter: string;
  relativeError: number | null;
  inconclusive?: true;
}

export interface CompatibilityReport {
  verdict: OnnxVerdict;
  opset: number;
  producer: string;
  ops: OnnxOpSupport[];
  /** Why the model is not trainable, or which numeric check failed. */
  problems: string[];
  input?: string;
  output?: string;
  /** Choices the check made for a file whose import needs them ("sequence = 8", "attention_mask filled with 1"). */
  assumed?: string[];
  parameters?: number;
  /** The batch the forward and gradients were checked at: 2, or the file's own when it fixes one. */
  batch?: number;
  /**
   * Largest |Model Lab − onnxruntime| of the eval-mode outputs on random inputs. null: not a
   * finite number (JSON, the IPC pipe's format too, carries NaN and Infinity as null).
   */
  forwardDifference?: number | null;
  /**
   * Per checked parameter: the relative error of its directional derivative (null as above).
   * `inconclusive`: the float32 finite differences did not settle along enough directions to
   * confirm or refute it (relativeError is then the best agreement seen).
   */
  gradientChecks?: GradientCheck[];
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const optional = <T>(value: unknown, guard: (v: unknown) => v is T): boolean =>
  value === undefined || guard(value);
const isCount = (value: unknown): value is number =>
  isFiniteNumber(value) && value >= 0 && Number.isInteger(value);
const isDimension = (value: unknown): value is OnnxDimension => isString(value) || isCount(value);

function isTensorInfo(value: unknown): value is OnnxTensorInfo {
  return (
    isRecord(value) &&
    isString(value.name) &&
    isString(value.dtype) &&
    Array.isArray(value.dims) &&
    value.dims.every(isDimension)
  );
}

function isInitializerInfo(value: unknown): value is OnnxInitializerInfo {
  return (
    isRecord(value) &&
    isString(value.name) &&
    isString(value.dtype) &&
    isNumberArray(value.dims) &&
    isCount(value.size) &&
    typeof value.trainable === 'boolean'
  );
}

function isLayerInfo(value: unknown): value is OnnxLayerInfo {
  return (
    isRecord(value) && isString(value.name) && isString(value.opType) && isStringArray(value.initializers)
  );
}

const isArrayOf = <T>(value: unknown, guard: (v: unknown) => v is T): value is T[] =>
  Array.isArray(value) && value.every(guard);

export function isOnnxModelSummary(value: unknown): value is OnnxModelSummary {
  return (
    isRecord(value) &&
    isCount(value.opset) &&
    isString(value.producer) &&
    isArrayOf(value.inputs, isTensorInfo) &&
    isArrayOf(value.outputs, isTensorInfo) &&
    isArrayOf(value.ops, isOpSupport) &&
    isArrayOf(value.initializers, isInitializerInfo) &&
    isCount(value.parameterCount) &&
    isCount(value.trainableCount) &&
    isArrayOf(value.layers, isLayerInfo) &&
    optional(value.importProblem, isString) &&
    optional(value.unsizedAxes, isStringArray) &&
    optional(value.filledInputs, isNumberRecord) &&
    optional(value.tokenizer, isTokenizerInfo) &&
    optional(value.classes, isStringArray) &&
    optional(value.tableColumns, isTableColumns) &&
    optional(value.memory, isTrainingMemory)
  );
}

const isTableColumns = (value: unknown): value is OnnxModelSummary['tableColumns'] =>
  isRecord(value) && isStringArray(value.numeric) && isStringArray(value.categorical);

const isTokenizerInfo = (value: unknown): value is OnnxTokenizerInfo =>
  isRecord(value) &&
  isString(value.file) &&
  isRecord(value.fromIds) &&
  Object.values(value.fromIds).every((kind) => kind === 'mask' || kind === 'types');

const isNumberRecord = (value: unknown): value is Record<string, number> =>
  isRecord(value) && Object.values(value).every(isFiniteNumber);

function isOpSupport(value: unknown): value is OnnxOpSupport {
  return (
    isRecord(value) &&
    isString(value.opType) &&
    typeof value.supported === 'boolean' &&
    isStringArray(value.nodes) &&
    optional(value.reason, isString)
  );
}

const isNumberOrNull = (value: unknown): value is number | null =>
  typeof value === 'number' || value === null;

function isGradientCheck(value: unknown): value is GradientCheck {
  return (
    isRecord(value) &&
    isString(value.parameter) &&
    isNumberOrNull(value.relativeError) &&
    (value.inconclusive === undefined || value.inconclusive === true)
  );
}

export function isCompatibilityReport(value: unknown): value is CompatibilityReport {
  return (
    isRecord(value) &&
    (value.verdict === 'trainable' ||
      value.verdict === 'unsupported' ||
      value.verdict === 'numeric-check-failed') &&
    isCount(value.opset) &&
    isString(value.producer) &&
    isArrayOf(value.ops, isOpSupport) &&
    isStringArray(value.problems) &&
    optional(value.input, isString) &&
    optional(value.output, isString) &&
    optional(value.assumed, isStringArray) &&
    optional(value.parameters, isCount) &&
    optional(value.batch, isCount) &&
    optional(value.forwardDifference, isNumberOrNull) &&
    optional(value.gradientChecks, (v): v is unknown[] => isArrayOf(v, isGradientCheck))
  );
}
