/**
 * Reads run folders for the Runs view, the panels and resume. Never fatal: a
 * missing or damaged file reads as absent, a torn last line of metrics.jsonl
 * (the writer was killed mid-line) is skipped.
 */
import {
  closeSync,
  type Dirent,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../contract/guards';
import { ATTENTION_INDEX, RUN_FILES, type AttentionIndex, type RunInfo } from './runFiles';
import { isMetricRecord, type MetricRecord } from '../contract/metricRecord';
import type { EvalReport } from '../contract/evalReport';

export interface RunEntry {
  /** Absolute run folder. */
  dir: string;
  /** Folder name, which is the run id. */
  id: string;
  /** Undefined when run.json is missing or unreadable. */
  info?: RunInfo;
}

function folderNames(entries: Dirent[]): string[] {
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function subfolders(dir: string): string[] {
  try {
    return folderNames(readdirSync(dir, { withFileTypes: true }));
  } catch {
    return [];
  }
}

async function subfoldersAsync(dir: string): Promise<string[]> {
  try {
    return folderNames(await readdir(dir, { withFileTypes: true }));
  } catch {
    return [];
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Experiment folder names under the runs folder, sorted. */
export function listExperiments(runsDir: string): string[] {
  return subfolders(runsDir);
}

/** Runs of one experiment, oldest first (run ids sort by start time). */
export function listRuns(runsDir: string, experiment: string): RunEntry[] {
  const experimentDir = join(runsDir, experiment);
  return subfolders(experimentDir).map((id) => {
    const dir = join(experimentDir, id);
    return { dir, id, info: readRunInfo(dir) };
  });
}

/**
 * Every run of every experiment in `runsDir` (listExperiments, then listRuns of each), read without
 * blocking and one file at a time: for the extension host, where a workspace may hold hundreds of
 * runs and other work must go on while they are read.
 */
export async function listAllRunsAsync(runsDir: string): Promise<RunEntry[]> {
  const runs: RunEntry[] = [];
  for (const experiment of await subfoldersAsync(runsDir)) {
    const experimentDir = join(runsDir, experiment);
    for (const id of await subfoldersAsync(experimentDir)) {
      const dir = join(experimentDir, id);
      runs.push({ dir, id, info: await readRunInfoAsync(dir) });
    }
  }
  return runs;
}

/** run.json, when present and shaped like one; panels and the runs table still work without it. */
export function readRunInfo(runDir: string): RunInfo | undefined {
  return asRunInfo(readJson<unknown>(join(runDir, RUN_FILES.info)));
}

/** readRunInfo without blocking: for the extension host, which reads many folders. */
export async function readRunInfoAsync(runDir: string): Promise<RunInfo | undefined> {
  try {
    return asRunInfo(JSON.parse(await readFile(join(runDir, RUN_FILES.info), 'utf8')));
  } catch {
    return undefined;
  }
}

function asRunInfo(value: unknown): RunInfo | undefined {
  return isRecord(value) && typeof value.id === 'string' && typeof value.status === 'string'
    ? (value as unknown as RunInfo)
    : undefined;
}

/** Whether the run's model has attention layers at all (a Transformer), from its config snapshot. */
export function hasAttentionLayers(info: RunInfo | undefined): boolean | undefined {
  const layers = info?.config?.model?.layers;
  if (!Array.isArray(layers)) return undefined;
  return layers.some((layer) => layer.type === 'attention' || layer.type === 'transformer');
}

/** Whether the run's model has conv2d layers (what the CNN inside view shows), from its config snapshot. */
export function hasConvLayers(info: RunInfo | undefined): boolean | undefined {
  const layers = info?.config?.model?.layers;
  if (!Array.isArray(layers)) return undefined;
  return layers.some((layer) => layer.type === 'conv2d');
}

/** Whether the run's model has lstm or gru layers (what the LSTM/GRU inside view shows), from its config snapshot. */
export function hasRecurrentLayers(info: RunInfo | undefined): boolean | undefined {
  const layers = info?.config?.model?.layers;
  if (!Array.isArray(layers)) return undefined;
  return layers.some((layer) => layer.type === 'lstm' || layer.type === 'gru');
}

export function readEvalReport(runDir: string): EvalReport | undefined {
  return readJson<EvalReport>(join(runDir, RUN_FILES.eval));
}

export function readAttentionIndex(runDir: string): AttentionIndex {
  const index = readJson<AttentionIndex>(join(runDir, RUN_FILES.attention, ATTENTION_INDEX));
  return index && Array.isArray(index.steps) ? index : { steps: [] };
}

/** Parses complete lines; a line that is not a metric record is skipped. */
function parseMetricLines(text: string): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isMetricRecord(value)) records.push(value);
    } catch {
      // A damaged line: skip it, keep the rest.
    }
  }
  return records;
}

/** Every complete record of metrics.jsonl. */
export function readMetrics(runDir: string): MetricRecord[] {
  return readMetricsFrom(runDir, 0).records;
}

/**
 * Records after byte `offset`, for tailing a live run: only complete lines are
 * consumed, so `nextOffset` stops before a line still being written.
 */
export function readMetricsFrom(
  runDir: string,
  offset: number,
): { records: MetricRecord[]; nextOffset: number } {
  const path = join(runDir, RUN_FILES.metrics);
  let fd: number | undefined;
  try {
    const size = statSync(path).size;
    if (size <= offset) return { records: [], nextOffset: offset };
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline < 0) return { records: [], nextOffset: offset };
    return {
      records: parseMetricLines(buffer.subarray(0, lastNewline).toString('utf8')),
      nextOffset: offset + lastNewline + 1,
    };
  } catch {
    return { records: [], nextOffset: offset };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The last `count` lines of log.txt (empty when there is none). */
export function readLogTail(runDir: string, count: number): string[] {
  const path = join(runDir, RUN_FILES.log);
  if (!existsSync(path)) return [];
  try {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-count);
  } catch {
    return [];
  }
}
