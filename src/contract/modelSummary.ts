/**
 * A model's summary (`model-lab summary`, the hover on an experiment's `model`, the metrics
 * panel's Model tab): per layer its output shape, parameters and forward FLOPs per example,
 * then the totals and the estimated training memory. Computed by experiment/modelSummary.ts;
 * declared here because the webview reads it too.
 */
import { isFiniteNumber, isNumberArray, isRecord, isString } from './guards';

export interface LayerSummary {
  /** The experiment's layer type (`conv2d`), or the ONNX op of an imported model's node (`Conv`). */
  type: string;
  /** An imported node's name; absent for built-in layers (their position names them). */
  name?: string;
  /** Per example, without the batch axis. */
  outputShape: number[];
  params: number;
  /** Forward FLOPs per example: matrix products and convolutions, a multiply-add counted as 2. */
  flops: number;
}

/** Estimated memory of one training step (experiment/memoryEstimate.ts). */
export interface TrainingMemory {
  batchSize: number;
  parameterBytes: number;
  activationBytes: number;
  totalBytes: number;
  /** Float values of the forward pass kept for the backward pass, per example. */
  activationsPerExample: number;
}

export interface ModelSummary {
  inputShape: number[];
  layers: LayerSummary[];
  totalParams: number;
  totalFlops: number;
  /** Estimated memory of one training step at `batchSize` (experiment/memoryEstimate.ts). */
  memory: TrainingMemory;
  /** Set for a model imported from an ONNX file (the file as the experiment names it). */
  onnx?: string;
}

const isCount = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;

function isLayerSummary(value: unknown): value is LayerSummary {
  return (
    isRecord(value) &&
    isString(value.type) &&
    (value.name === undefined || isString(value.name)) &&
    isNumberArray(value.outputShape) &&
    isCount(value.params) &&
    isCount(value.flops)
  );
}

export function isTrainingMemory(memory: unknown): memory is TrainingMemory {
  return (
    isRecord(memory) &&
    isCount(memory.batchSize) &&
    isCount(memory.parameterBytes) &&
    isCount(memory.activationBytes) &&
    isCount(memory.totalBytes) &&
    isCount(memory.activationsPerExample)
  );
}

export function isModelSummary(value: unknown): value is ModelSummary {
  return (
    isRecord(value) &&
    isNumberArray(value.inputShape) &&
    Array.isArray(value.layers) &&
    value.layers.every(isLayerSummary) &&
    isCount(value.totalParams) &&
    isCount(value.totalFlops) &&
    isTrainingMemory(value.memory) &&
    (value.onnx === undefined || isString(value.onnx))
  );
}
