/**
 * The channel between the extension host and a training process (Node IPC of
 * `child_process.fork`), declared once. The host sends `start` once, then
 * maybe `stop`; the process answers with a stream of events and ends with
 * exactly one `finished` or `failed`. The CLI feeds the same events to the
 * same recorder in-process. Receivers narrow every message with the guards
 * below; anything else is ignored. Metric values are finite (IPC and JSON
 * lines cannot carry NaN; a non-finite training loss ends the run as failed).
 * The engine-check messages (protocol/engineCheck.ts) share the pipe; their
 * types start with `engineCheck/`, so neither side mistakes one for the other.
 *
 * Who writes what: the process that trains (the training process, or the
 * CLI in-process) owns the run folder and records every event there before
 * it reports it (trainer/recordedTraining.ts), so a window that reloads loses
 * nothing. A window that attaches later (through the run's owner.json
 * endpoint) gets the same messages as JSON lines, starting with the last
 * `started` and `metrics` events again.
 */
import { isAttentionSnapshot, type AttentionSnapshot } from '../contract/attentionSnapshot';

/**
 * The environment variable through which the host tells a forked training process which l10n bundle
 * (VS Code's display language) its messages use; empty or unset in English.
 */
export const L10N_BUNDLE_ENV = 'MODEL_LAB_L10N_BUNDLE';
import { isCheckpointKind, type CheckpointKind } from '../contract/checkpointKind';
import { isDeviceName, isDeviceReport, type DeviceName, type DeviceReport } from '../contract/devices';
import { isDynamicsRecord, type DynamicsRecord } from '../contract/dynamicsRecord';
import { isEvalReport, type EvalReport } from '../contract/evalReport';
import type { Experiment } from '../contract/experiment';
import { hasType, isBoolean, isFiniteNumber, isRecord, isString } from '../contract/guards';
import { isMetricRecord, type MetricRecord } from '../contract/metricRecord';
import { isThreadCount } from '../contract/threads';

// ── host → training process ────────────────────────────────────────────────

export interface StartTraining {
  type: 'start';
  /** Absolute path of the experiment file; data paths resolve against its folder. Not read again. */
  experimentFile: string;
  /** The experiment prepareRun validated (and recorded in run.json): exactly what trains. */
  experiment: Experiment;
  /** The run folder prepareRun claimed (run.json already written). */
  runDir: string;
  /** From the experiment's `training.device`, else the `modelLab.device` setting. */
  device: DeviceName;
  /** A previous run folder whose `checkpoints/last` this run continues from. */
  resumeFrom?: string;
  /** Stop (as completed) after this many optimizer steps in total. */
  maxSteps?: number;
  /**
   * How long the run trains on with no window attached (a reload takes
   * seconds) before it stops with a checkpoint; default 60 s. Absent when
   * the modelLab.training.keepRunningWithoutWindow setting says to train on.
   */
  hostGraceMs?: number;
  keepRunningWithoutHost?: boolean;
  /** Intra-op threads, from the modelLab.threads setting (contract/threads.ts); every core when absent (the CLI). */
  threads?: number;
  /**
   * The run has its cores to itself, so idle threads spin-wait between ops (the CLI's `train`).
   * Absent in the editor and in sweep trials, which share the cores.
   */
  spinWait?: boolean;
}

/** Cooperative stop: honoured between (fused) steps; the process saves and finishes 'stopped'. */
export interface StopTraining {
  type: 'stop';
}

export type HostToTrainer = StartTraining | StopTraining;

// ── training process → host ────────────────────────────────────────────────

export interface TrainingStarted {
  type: 'started';
  device: DeviceReport;
  parameterCount: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Steps the run will take in total (after maxSteps), counting resumed ones. */
  totalSteps: number;
  /** Steps already done when this process started (non-zero when resuming). */
  startStep: number;
  batchSize: number;
}

export interface TrainingMetrics {
  type: 'metrics';
  records: MetricRecord[];
}

export type LogLevel = 'info' | 'warning' | 'error';

export interface TrainingLog {
  type: 'log';
  level: LogLevel;
  message: string;
}

export interface TrainingAttention {
  type: 'attention';
  snapshot: AttentionSnapshot;
}

/** Gradient and weight statistics of one step (every `training.dynamics.everySteps`). */
export interface TrainingDynamics {
  type: 'dynamics';
  record: DynamicsRecord;
}

export interface CheckpointSaved {
  type: 'checkpoint';
  kind: CheckpointKind;
  step: number;
  /** Absolute folder of the checkpoint. */
  dir: string;
}

export interface TrainingEvaluated {
  type: 'eval';
  report: EvalReport;
}

export interface ModelExported {
  type: 'model';
  /** Absolute path of model.onnx. */
  path: string;
}

export interface TrainingFinished {
  type: 'finished';
  /** 'stopped': cut short by a stop request. Early stopping and step limits complete normally. */
  status: 'completed' | 'stopped';
  /** One sentence for the log and the notification, e.g. 'Early stopping: no improvement in 3 validations.' */
  reason: string;
  step: number;
  epoch: number;
}

/**
 * Before training starts: the data's images are being decoded, `done` of `total` (an image folder
 * of thousands of photos takes minutes). Sent at the start, at its end and a few times a second.
 */
export interface DataReading {
  type: 'reading';
  done: number;
  total: number;
}

export interface TrainingFailed {
  type: 'failed';
  /** The cause in one sentence, naming the file (and line) when one is at fault. */
  error: string;
  /** Stack or extra detail for log.txt. */
  detail?: string;
}

export type TrainerEvent =
  | DataReading
  | TrainingStarted
  | TrainingMetrics
  | TrainingLog
  | TrainingAttention
  | TrainingDynamics
  | CheckpointSaved
  | TrainingEvaluated
  | ModelExported
  | TrainingFinished
  | TrainingFailed;

/** The last event of every run. */
export type TrainerOutcome = TrainingFinished | TrainingFailed;

// ── guards ─────────────────────────────────────────────────────────────────

const isOptional = (value: unknown, check: (v: unknown) => boolean): boolean =>
  value === undefined || check(value);

export function isStartTraining(message: unknown): message is StartTraining {
  return (
    hasType(message, 'start') &&
    isString(message.experimentFile) &&
    isRecord(message.experiment) &&
    isString(message.experiment.name) &&
    isRecord(message.experiment.training) &&
    isString(message.runDir) &&
    isDeviceName(message.device) &&
    isOptional(message.resumeFrom, isString) &&
    isOptional(message.maxSteps, isFiniteNumber) &&
    isOptional(message.hostGraceMs, isFiniteNumber) &&
    isOptional(message.keepRunningWithoutHost, isBoolean) &&
    isOptional(message.threads, isThreadCount) &&
    isOptional(message.spinWait, isBoolean)
  );
}

export function isStopTraining(message: unknown): message is StopTraining {
  return hasType(message, 'stop');
}

export function isHostToTrainer(message: unknown): message is HostToTrainer {
  return isStartTraining(message) || isStopTraining(message);
}

export function isDataReading(message: unknown): message is DataReading {
  return (
    hasType(message, 'reading') &&
    isFiniteNumber(message.done) &&
    isFiniteNumber(message.total) &&
    message.done >= 0 &&
    message.done <= message.total
  );
}

export function isTrainingStarted(message: unknown): message is TrainingStarted {
  return (
    hasType(message, 'started') &&
    isDeviceReport(message.device) &&
    ['parameterCount', 'epochs', 'stepsPerEpoch', 'totalSteps', 'startStep', 'batchSize'].every((key) =>
      isFiniteNumber(message[key]),
    )
  );
}

export function isTrainingMetrics(message: unknown): message is TrainingMetrics {
  return (
    hasType(message, 'metrics') && Array.isArray(message.records) && message.records.every(isMetricRecord)
  );
}

export function isTrainingLog(message: unknown): message is TrainingLog {
  return (
    hasType(message, 'log') &&
    ['info', 'warning', 'error'].includes(message.level as string) &&
    isString(message.message)
  );
}

export function isTrainingAttention(message: unknown): message is TrainingAttention {
  return hasType(message, 'attention') && isAttentionSnapshot(message.snapshot);
}

export function isTrainingDynamics(message: unknown): message is TrainingDynamics {
  return hasType(message, 'dynamics') && isDynamicsRecord(message.record);
}

export function isCheckpointSaved(message: unknown): message is CheckpointSaved {
  return (
    hasType(message, 'checkpoint') &&
    isCheckpointKind(message.kind) &&
    isFiniteNumber(message.step) &&
    isString(message.dir)
  );
}

export function isTrainingEvaluated(message: unknown): message is TrainingEvaluated {
  return hasType(message, 'eval') && isEvalReport(message.report);
}

export function isModelExported(message: unknown): message is ModelExported {
  return hasType(message, 'model') && isString(message.path);
}

export function isTrainingFinished(message: unknown): message is TrainingFinished {
  return (
    hasType(message, 'finished') &&
    (message.status === 'completed' || message.status === 'stopped') &&
    isString(message.reason) &&
    isFiniteNumber(message.step) &&
    isFiniteNumber(message.epoch)
  );
}

export function isTrainingFailed(message: unknown): message is TrainingFailed {
  return hasType(message, 'failed') && isString(message.error) && isOptional(message.detail, isString);
}

const EVENT_GUARDS = [
  isDataReading,
  isTrainingStarted,
  isTrainingMetrics,
  isTrainingLog,
  isTrainingAttention,
  isTrainingDynamics,
  isCheckpointSaved,
  isTrainingEvaluated,
  isModelExported,
  isTrainingFinished,
  isTrainingFailed,
];

export function isTrainerEvent(message: unknown): message is TrainerEvent {
  return EVENT_GUARDS.some((guard) => guard(message));
}

export function isTrainerOutcome(event: TrainerEvent): event is TrainerOutcome {
  return event.type === 'finished' || event.type === 'failed';
}
