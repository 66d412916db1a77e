/**
 * Reads every run folder under the given runs folders (`<root>/<experiment>/<run>/`) into
 * runs-table rows: run.json for the name, status, times, device, settings and notes, and the
 * metrics (Model Lab's metrics.jsonl or another tool's event files / metrics.csv) for final
 * and best values. One reader lives as long as its table: it keeps each folder's metrics
 * tail, so reading again after a run grew reads only the new lines.
 */
import { access, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { flattenSettings } from '../../contract/runTable/flattenSettings';
import type { RunRow } from '../../contract/runTable/runRow';
import { isFiniteNumber, isRecord } from '../../contract/guards';
import { metricsTailFor, type MetricsTail } from '../foreign/foreignMetricsTail';
import { RUN_FILES } from '../runFiles';
import { hasAttentionLayers, readRunInfoAsync } from '../runReader';
import { MetricsDigest } from './metricsDigest';

interface FolderMetrics {
  tail: MetricsTail;
  digest: MetricsDigest;
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function seconds(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const span = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(span) && span >= 0 ? span : undefined;
}

/** The finite numbers of a hand-editable record (run.json's summary). */
function numbersOf(value: unknown): Record<string, number> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => isFiniteNumber(v))) as Record<
    string,
    number
  >;
}

export class RunTableReader {
  private metrics = new Map<string, FolderMetrics>();

  /** Every run under `runsDirs`, in folder order (experiment, then run id). */
  async read(runsDirs: readonly string[]): Promise<RunRow[]> {
    const folders: { runDir: string; experiment: string }[] = [];
    for (const root of new Set(runsDirs)) {
      for (const experiment of await subfolders(root)) {
        for (const id of await subfolders(join(root, experiment)))
          folders.push({ runDir: join(root, experiment, id), experiment });
      }
    }
    const rows = await Promise.all(folders.map(({ runDir, experiment }) => this.readRow(runDir, experiment)));
    // Folders that went away take their tails with them.
    const present = new Set(folders.map((folder) => folder.runDir));
    for (const runDir of this.metrics.keys()) if (!present.has(runDir)) this.metrics.delete(runDir);
    return rows;
  }

  /** One run's row; `experimentFolder` names the experiment when run.json cannot. */
  async readRow(runDir: string, experimentFolder: string): Promise<RunRow> {
    const info = await readRunInfoAsync(runDir);
    const digest = await this.readMetrics(runDir);
    const id = basename(runDir);
    const tags = Array.isArray(info?.tags)
      ? info.tags.filter((tag): tag is string => typeof tag === 'string')
      : [];
    return {
      runDir,
      experiment: text(info?.experiment) ?? experimentFolder,
      id: text(info?.id) ?? id,
      name: text(info?.name) ?? text(info?.id) ?? id,
      status: info?.status ?? 'unknown',
      startedAt: text(info?.startedAt),
      duration: seconds(info?.startedAt, info?.endedAt) ?? digest.lastTime,
      device: text(info?.device?.chosen),
      settings: flattenSettings(info?.config),
      // run.json's summary is rewritten about once a second; metrics.jsonl is newer.
      final: { ...numbersOf(info?.summary), ...digest.final },
      best: { ...digest.best },
      tags,
      notes: typeof info?.notes === 'string' ? info.notes : '',
      experimentFile: text(info?.experimentFile),
      has: {
        evaluation: await exists(join(runDir, RUN_FILES.eval)),
        attention: hasAttentionLayers(info) === true,
      },
    };
  }

  private async readMetrics(runDir: string): Promise<MetricsDigest> {
    let folder = this.metrics.get(runDir);
    if (!folder) {
      folder = { tail: metricsTailFor(runDir), digest: new MetricsDigest() };
      this.metrics.set(runDir, folder);
    }
    const { records, reset } = await folder.tail.read();
    if (reset) folder.digest = new MetricsDigest();
    folder.digest.add(records);
    return folder.digest;
  }
}
