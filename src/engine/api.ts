/**
 * The engine's public surface, used by the trainer (training process and CLI).
 * The engine compiles a model description into ONNX graphs (train step with
 * forward, loss, gradients and optimizer update; eval forward; attention probe)
 * and runs them with onnxruntime-node. Plain Node: never import `vscode`.
 */
import type { DeviceName, DeviceReport } from '../contract/devices';
import type { StepDynamics } from '../contract/dynamicsRecord';
import type { InputEncoding } from '../contract/inputEncoding';
import type { InputKind } from '../contract/inputKind';
import type { Layer, LossName, OptimizerConfig } from '../contract/experiment';
import type { ImportPlan } from './onnx/importPlan';
import type { Threading } from './runtime/session';

export interface ModelDescription {
  /** Example shape without batch: see Experiment.model.input.shape. */
  inputShape: number[];
  /** 'tokens' inputs are int64 ids (embedding first); 'float' everything else. */
  inputKind: InputKind;
  layers: Layer[];
  /**
   * An imported ONNX model (engine/onnx: readOnnxModel, then planImport): its graph replaces
   * `layers` (then empty), its float initializers are the parameters.
   */
  imported?: ImportPlan;
}

/** `threads` and `spinWait` (Threading): how every session of the model computes. */
export interface CompileOptions extends Threading {
  model: ModelDescription;
  loss: LossName;
  /** Cross-entropy only. */
  labelSmoothing?: number;
  optimizer: OptimizerConfig;
  clipNorm?: number;
  /** Shapes are static: one session per batch size. */
  batchSize: number;
  /** Steps fused into one runtime call through ONNX Loop (1 = no fusion). */
  fusedSteps?: number;
  seed: number;
  device: DeviceName;
}

/** Targets: class ids (int64) for cross-entropy, floats for mse / bce. */
export interface Batch {
  x: Float32Array | BigInt64Array;
  y: Float32Array | BigInt64Array;
}

/** Attention probabilities of one layer: [heads, T, T], row-major; rows sum to 1. */
export interface AttentionMaps {
  layer: number;
  heads: number;
  length: number;
  probs: Float32Array;
}

/** What one conv2d layer computed for one image: `values` is [channels, height, width], row-major. */
export interface FeatureMaps {
  layer: number;
  channels: number;
  height: number;
  width: number;
  values: Float32Array;
}

/**
 * What one recurrent layer computed at every step of one sequence (the LSTM/GRU inside view):
 * each named series is [steps, units], row-major.
 */
export interface RecurrentInside {
  layer: number;
  steps: number;
  units: number;
  /** `hidden`, and for an LSTM `input`, `forget`, `output` (gates) and `cell`; for a GRU `reset` and `update`. */
  values: Record<string, Float32Array>;
}

/** Everything needed to resume training bit for bit: parameters, optimizer moments, step. */
export interface TrainingState {
  step: number;
  tensors: Record<string, { dims: number[]; data: Float32Array }>;
}

/** value_scaled = (value − shift) / scale, per position of the last axis. */
export interface AxisScaling {
  shift: number[];
  scale: number[];
}

/**
 * The data preparation the exported model does itself, so model.onnx takes
 * the data as it is in the user's file and answers in its units.
 */
export interface ExportOptions {
  /** Feature scaling fitted at training: the graph starts with (input − shift) / scale. */
  inputScaling?: AxisScaling;
  /** Target scaling of a regression: the graph ends with output · scale + shift. */
  outputScaling?: AxisScaling;
  /**
   * A table with categorical columns or filled missing values: the input row is its numeric
   * columns, then their one-hot codes, empty cells filled as `fill` says.
   */
  inputEncoding?: InputEncoding;
  /** A classifier's class names, score i naming class i: kept in the metadata for who reads its scores. */
  classes?: string[];
}

export interface TrainableModel {
  readonly device: DeviceReport;
  /** Output shape per example (without batch), e.g. [classes] or [T, vocab]. */
  readonly outputShape: number[];
  /** Names of trainable parameters with their element counts. */
  readonly parameterCount: number;
  /**
   * One optimizer step per batch (fused into Loop calls of `fusedSteps` when
   * possible). `learningRates[i]` applies to `batches[i]`. Returns each step's loss.
   */
  train(batches: Batch[], learningRates: number[]): Promise<number[]>;
  /**
   * Optimizer steps, the same updates as `train` makes, in one fused call whose last step
   * also outputs its gradient and weight statistics (model/dynamics.ts). Returns each
   * step's loss and the last step's dynamics.
   */
  trainWithDynamics(
    batches: Batch[],
    learningRates: number[],
  ): Promise<{ losses: number[]; dynamics: StepDynamics }>;
  /** Eval-mode forward (dropout off) for any number of examples; returns outputs flattened. */
  predict(x: Float32Array | BigInt64Array, count: number): Promise<Float32Array>;
  /** Mean loss on examples in eval mode. */
  evaluateLoss(batch: Batch, count: number): Promise<number>;
  /** Attention maps of every attention layer for one token sequence (empty for models without attention). */
  attention(tokens: BigInt64Array): Promise<AttentionMaps[]>;
  /** The output of every conv2d layer (after its activation) for one image, eval mode, in layer order. */
  featureMaps(image: Float32Array): Promise<FeatureMaps[]>;
  /**
   * Hidden states and gates over time of every lstm/gru layer for one example, eval mode, in
   * layer order, and the model's output for it (empty `layers` for models without them).
   */
  recurrentInside(
    x: Float32Array | BigInt64Array,
  ): Promise<{ layers: RecurrentInside[]; output: Float32Array }>;
  getState(): Promise<TrainingState>;
  setState(state: TrainingState): Promise<void>;
  /** Forward-only inference model with trained weights (ONNX bytes). */
  exportOnnx(options?: ExportOptions): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

export type CompileModel = (options: CompileOptions) => Promise<TrainableModel>;
