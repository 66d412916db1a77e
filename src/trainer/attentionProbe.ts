/**
 * Attention maps of a finished (or stopped) run for any text: the model is
 * compiled as the run trained it, its best checkpoint (else the last) is
 * loaded, and the text's tokens go through the attention layers once.
 */
import * as l10n from '@vscode/l10n';
import { dirname } from 'node:path';
import type { CheckpointKind } from '../contract/checkpointKind';
import type { ProbedAttention } from '../protocol/attentionProbe';
import { loadCheckpoint } from '../runs/checkpoints';
import { readRunInfo } from '../runs/runReader';
import { attentionSnapshot, encodeProbe } from './probe';
import { restoreCheckpoint } from './restoreCheckpoint';
import { compileOptionsFor } from './trainer';
import type { TrainerDeps } from './trainerDeps';

export async function probeAttention(
  runDir: string,
  text: string,
  deps: Pick<TrainerDeps, 'loadDataset' | 'compileModel'>,
): Promise<ProbedAttention> {
  const info = readRunInfo(runDir);
  if (!info) throw new Error(l10n.t('{0} has no readable run.json.', runDir));
  let checkpoint;
  let kind: CheckpointKind = 'best';
  try {
    checkpoint = loadCheckpoint(runDir, kind);
  } catch {
    kind = 'last';
    checkpoint = loadCheckpoint(runDir, kind);
  }
  const experimentDir = dirname(info.experimentFile);
  const dataset = await deps.loadDataset(info.config, experimentDir);
  if (!dataset.vocab)
    throw new Error(
      l10n.t('{0} has no token vocabulary: only language models take a probe text.', info.experiment),
    );
  const model = await deps.compileModel(compileOptionsFor(info.config, dataset, 'cpu', experimentDir));
  try {
    await restoreCheckpoint(model, runDir, kind, checkpoint);
    const probe = encodeProbe(text, dataset.vocab, dataset.inputShape[0]);
    const snapshot = await attentionSnapshot(model, probe, checkpoint.position.step);
    if (snapshot.layers.length === 0)
      throw new Error(l10n.t('{0} has no attention layers.', info.experiment));
    return { snapshot, checkpoint: kind };
  } finally {
    await model.dispose();
  }
}
