/**
 * The run folder: the contract between trainer, host, panels and CLI.
 *
 *   <workspace>/.modellab/runs/<experiment>/<run-id>/
 *     run.json        RunInfo
 *     metrics.jsonl   one MetricRecord per line, append-only
 *     attention/      <step>.json AttentionSnapshot files + index.json (AttentionIndex)
 *     checkpoints/    last/ and best/: checkpoint.json (CheckpointMeta) + tensors-<step>.bin
 *     model.onnx      inference model with trained weights
 *     eval.json       EvalReport
 *     log.txt         human-readable log
 */
import type { DeviceReport } from '../engine/api';
import type { Experiment } from '../experiment/types';
import { isFiniteNumber, isRecord, isString } from '../protocol/guards';

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface RunInfo {
  id: string;
  experiment: string;
  /** Absolute path of the experiment file the run came from. */
  experimentFile: string;
  status: RunStatus;
  /** Config snapshot: the experiment as it was when the run started. */
  config: Experiment;
  seed: number;
  device?: DeviceReport;
  versions: { modelLab: string; onnxruntime: string; node: string };
  startedAt: string;
  endedAt?: string;
  /** Set when status is 'failed': the cause in one sentence. */
  error?: string;
  /** Run this one resumed from, if any. */
  resumedFrom?: string;
  /** Last value of each metric, e.g. { "train/loss": 0.12, "validation/accuracy": 0.98 }. */
  summary?: Record<string, number>;
  step?: number;
  epoch?: number;
  /** Training process id while running: a reopened window tells a live run from an interrupted one. */
  pid?: number;
}

export type Split = 'train' | 'validation' | 'test';

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

const SPLITS: readonly unknown[] = ['train', 'validation', 'test'];

/** A well-formed metric record (a line of metrics.jsonl, or one record of a `metrics` event). */
export function isMetricRecord(value: unknown): value is MetricRecord {
  return (
    isRecord(value) &&
    ['step', 'epoch', 'time', 'value'].every((key) => isFiniteNumber(value[key])) &&
    SPLITS.includes(value.split) &&
    isString(value.name)
  );
}

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

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
}

export interface AttentionSnapshot {
  step: number;
  /** Probe tokens as displayed characters. */
  tokens: string[];
  layers: { layer: number; heads: number; length: number; probs: number[] }[];
}

/** A well-formed attention snapshot (a file of attention/, or the payload of an event). */
export function isAttentionSnapshot(value: unknown): value is AttentionSnapshot {
  return (
    isRecord(value) &&
    isFiniteNumber(value.step) &&
    Array.isArray(value.tokens) &&
    Array.isArray(value.layers)
  );
}

export const RUN_FILES = {
  info: 'run.json',
  metrics: 'metrics.jsonl',
  attention: 'attention',
  checkpoints: 'checkpoints',
  model: 'model.onnx',
  eval: 'eval.json',
  log: 'log.txt',
} as const;

/** `attention/index.json`: the steps that have a snapshot file `attention/<step>.json`, ascending. */
export interface AttentionIndex {
  steps: number[];
}

export const ATTENTION_INDEX = 'index.json';

export type CheckpointKind = 'last' | 'best';

/** Where the trainer stands, besides the engine state: enough to resume mid-epoch. */
export interface TrainerPosition {
  /** Optimizer steps done. */
  step: number;
  /** 0-based epoch the next step belongs to. */
  epoch: number;
  /** Batches of that epoch already trained. */
  batchInEpoch: number;
  /** Best value of the monitored validation metric so far, and its step. */
  best?: { value: number; step: number };
  /** Validations in a row without improvement (early stopping). */
  validationsWithoutImprovement: number;
  /** Seconds of training so far, so a resumed run's metric times continue. */
  time?: number;
}

/**
 * `checkpoints/<kind>/checkpoint.json`. The tensors live in `dataFile`
 * (float32, little-endian, concatenated in `tensors` order); the JSON is
 * renamed into place last, so it never points at a half-written data file.
 */
export interface CheckpointMeta {
  format: 1;
  position: TrainerPosition;
  dataFile: string;
  tensors: { name: string; dims: number[]; offset: number; length: number }[];
  savedAt: string;
}

export const CHECKPOINT_META = 'checkpoint.json';
