/**
 * One row of the runs table: what the table panel, `model-lab runs` and the parallel
 * coordinates show of a run. Built from the run folder by `src/runs/table/` (Node); the
 * pure logic over rows (settings that differ, filters, sorting) sits next to this file so
 * the webview runs it too.
 */
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
