/**
 * The run folder: the contract between trainer, host, panels and CLI.
 *
 *   <workspace>/.modellab/runs/<experiment>/<run-id>/
 *     run.json        RunInfo
 *     metrics.jsonl   one MetricRecord per line, append-only
 *     attention/      <step>.json AttentionSnapshot files + index.json
 *     checkpoints/    last/ and best/ (TrainingState + step)
 *     model.onnx      inference model with trained weights
 *     eval.json       EvalReport
 *     log.txt         human-readable log
 */
import type { DeviceReport } from '../engine/api';
import type { Experiment } from '../experiment/types';

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
}

export type Split = 'train' | 'validation' | 'test';

export interface MetricRecord {
  step: number;
  epoch: number;
  /** Seconds since the run started. */
  time: number;
  split: Split;
  /** 'loss', 'accuracy', 'f1', 'lr', 'samples_per_sec', 'perplexity', ... */
  name: string;
  value: number;
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
  /** Regression. */
  mae?: number;
}

export interface AttentionSnapshot {
  step: number;
  /** Probe tokens as displayed characters. */
  tokens: string[];
  layers: { layer: number; heads: number; length: number; probs: number[] }[];
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
