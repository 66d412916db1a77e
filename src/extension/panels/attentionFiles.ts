import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AttentionSnapshot, isAttentionSnapshot } from '../../contract/attentionSnapshot';
import { RUN_FILES, type RunInfo } from '../../runs/runFiles';
import { hasAttentionLayers } from '../../runs/runReader';

const SNAPSHOT_FILE = /^(\d+)\.json$/;

/** Steps with a snapshot file in attention/, ascending (files are renamed into place whole). */
export async function listSnapshotSteps(runDir: string): Promise<number[]> {
  try {
    const names = await readdir(join(runDir, RUN_FILES.attention));
    return names
      .map((name) => SNAPSHOT_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** One snapshot, or an Error saying what is wrong with its file. */
export async function readSnapshot(runDir: string, step: number): Promise<AttentionSnapshot | Error> {
  const path = join(runDir, RUN_FILES.attention, `${step}.json`);
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isAttentionSnapshot(value) ? value : new Error(`${path} is not an attention snapshot.`);
  } catch (error) {
    return new Error(`Could not read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The sentence shown when a run has no snapshots to draw. */
export function noAttentionMessage(info: RunInfo | undefined): string {
  if (hasAttentionLayers(info) === false) {
    return 'This run has no attention maps: its model has no attention or transformer layers. Attention heatmaps are recorded for Transformer experiments.';
  }
  if (info?.status === 'running' || info?.status === 'queued') {
    const every = info.config?.probe?.everySteps;
    return `No attention snapshot yet. The run records one${every ? ` every ${every} steps` : ''} for its probe input; this panel shows it as soon as it is written.`;
  }
  return 'This run recorded no attention snapshots (its attention/ folder is empty or missing).';
}
