/**
 * One row of the runs table: what the table panel, `model-lab runs` and the parallel
 * coordinates show of a run. Built from the run folder by `src/runs/table/` (Node); the
 * pure logic over rows (settings that differ, filters, sorting) sits next to this file so
 * the webview runs it too.
 */
import { isFiniteNumber, isRecord, isString } from '../guards';
import type { RunStatus } from '../runStatus';

/** A setting's value once flattened: a leaf of the experiment file; a list of plain values stays one value. */
export type SettingValue = string | number | boolean | null;

export interface RunRow {
  /** Absolute run folder: the row's identity in every message. */
  runDir: string;
  experiment: string;
  /** Folder name (the run id). */
  id: string;
  /** The user's name for the run (run.json `name`), else the run id. */
  name: string;
  /** `unknown` for a folder without a readable run.json (another tool's run). */
  status: RunStatus | 'unknown';
  startedAt?: string;
  /** Seconds from start to end, or to the last metric while it trains. */
  duration?: number;
  /** The device that trained it (`cpu`, `webgpu`, `cuda`). */
  device?: string;
  /** The run's experiment settings by path, e.g. `training.optimizer.learningRate`. */
  settings: Record<string, SettingValue>;
  /** Last value of each metric, keyed `split/name` (`validation/accuracy`). */
  final: Record<string, number>;
  /** Best value of each metric that has a better direction, keyed like `final`. */
  best: Record<string, number>;
  tags: string[];
  notes: string;
  /** The experiment file the run came from, when known (config diff, train again). */
  experimentFile?: string;
  /** What the folder holds, so the table offers only the panels that can open. */
  has: { evaluation: boolean; attention: boolean };
}

const STATUSES: readonly string[] = [
  'queued',
  'running',
  'completed',
  'stopped',
  'failed',
  'interrupted',
  'unknown',
];

function isSettingValue(value: unknown): value is SettingValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isRecordOf<T>(value: unknown, item: (v: unknown) => v is T): value is Record<string, T> {
  return isRecord(value) && Object.values(value).every(item);
}

const optional = <T>(value: unknown, item: (v: unknown) => v is T): boolean =>
  value === undefined || item(value);

/** A well-formed row; every field is checked, as rows cross from the host into a webview. */
export function isRunRow(value: unknown): value is RunRow {
  return (
    isRecord(value) &&
    isString(value.runDir) &&
    isString(value.experiment) &&
    isString(value.id) &&
    isString(value.name) &&
    STATUSES.includes(value.status as string) &&
    optional(value.startedAt, isString) &&
    optional(value.duration, isFiniteNumber) &&
    optional(value.device, isString) &&
    isRecordOf(value.settings, isSettingValue) &&
    isRecordOf(value.final, isFiniteNumber) &&
    isRecordOf(value.best, isFiniteNumber) &&
    Array.isArray(value.tags) &&
    value.tags.every(isString) &&
    isString(value.notes) &&
    optional(value.experimentFile, isString) &&
    isRecord(value.has) &&
    typeof value.has.evaluation === 'boolean' &&
    typeof value.has.attention === 'boolean'
  );
}
