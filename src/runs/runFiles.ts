/**
 * The run folder: the contract between trainer, host, panels and CLI.
 *
 *   <workspace>/.modellab/runs/<experiment>/<run-id>/
 *     run.json        RunInfo
 *     metrics.jsonl   one MetricRecord per line, append-only
 *     dynamics.jsonl  one DynamicsRecord per line (gradient norms, update ratios, weight and
 *                     gradient percentiles of every parameter tensor), every
 *                     training.dynamics.everySteps; absent when the experiment does not record them
 *     attention/      <step>.json AttentionSnapshot files + index.json (AttentionIndex)
 *     checkpoints/    last/ and best/: checkpoint.json (CheckpointMeta) + tensors-<step>.bin
 *     model.onnx      inference model with trained weights
 *     eval.json       EvalReport
 *     log.txt         human-readable log
 */
import type { DeviceReport } from '../contract/devices';
import type { Experiment, JsonValue } from '../contract/experiment';
import type { RunStatus } from '../contract/runStatus';

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
  /** The user's name for the run, given in the runs table; the folder name stays its id. */
  name?: string;
  /** The user's labels for the run (runs table). */
  tags?: string[];
  /** The user's notes on the run (runs table). */
  notes?: string;
  /** Training process id while running: a reopened window tells a live run from an interrupted one. */
  pid?: number;
  /** Set when the run is a trial of a sweep. */
  sweep?: SweepTrialInfo;
}

/** A sweep trial's place in its sweep (run.json `sweep`). */
export interface SweepTrialInfo {
  /** Names the sweep: the same experiment and sweep section give the same id, so running it again resumes it. */
  id: string;
  /** 0-based trial number within the sweep. */
  index: number;
  /** The swept settings of this trial, by dotted path. */
  values: Record<string, JsonValue>;
}

export const RUN_FILES = {
  info: 'run.json',
  metrics: 'metrics.jsonl',
  dynamics: 'dynamics.jsonl',
  attention: 'attention',
  checkpoints: 'checkpoints',
  model: 'model.onnx',
  eval: 'eval.json',
  log: 'log.txt',
  /** RunOwner of the process training the run, while it trains (runOwner.ts). */
  owner: 'owner.json',
  /** A folder held while one process reads, changes and writes run.json (runInfoLock.ts). */
  infoLock: 'run.json.lock',
} as const;

/** `attention/index.json`: the steps that have a snapshot file `attention/<step>.json`, ascending. */
export interface AttentionIndex {
  steps: number[];
}

export const ATTENTION_INDEX = 'index.json';

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
