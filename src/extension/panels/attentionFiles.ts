import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
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
    return isAttentionSnapshot(value) ? value : new Error(l10n.t('{0} is not an attention snapshot.', path));
  } catch (error) {
    return new Error(
      l10n.t('Could not read {0}: {1}', path, error instanceof Error ? error.message : String(error)),
    );
  }
}

/** The sentence shown when a run has no snapshots to draw. */
export function noAttentionMessage(info: RunInfo | undefined): string {
  if (hasAttentionLayers(info) === false) {
    return l10n.t(
      'This run has no attention maps: its model has no attention or transformer layers. Attention heatmaps are recorded for Transformer experiments.',
    );
  }
  if (info?.status === 'running' || info?.status === 'queued') {
    const every = info.config?.probe?.everySteps;
    return every
      ? l10n.t(
          'No attention snapshot yet. The run records one every {0} steps for its probe input; this panel shows it as soon as it is written.',
          every,
        )
      : l10n.t(
          'No attention snapshot yet. The run records one for its probe input; this panel shows it as soon as it is written.',
        );
  }
  return l10n.t('This run recorded no attention snapshots (its attention/ folder is empty or missing).');
}
