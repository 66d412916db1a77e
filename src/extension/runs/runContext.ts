/**
 * The facts about a run that decide which Runs-view menu items apply, as the
 * tree item's `contextValue`: `run.<status>` followed by `;eval` (eval.json
 * exists), `;attention` (the model has attention layers), `;conv` (it has conv2d
 * layers: the CNN inside view applies), `;recurrent` (lstm or gru layers: the LSTM/GRU
 * inside view applies), `;checkpoint` (a
 * last checkpoint to resume or evaluate from) and `;model` (model.onnx
 * exists). package.json's `when` clauses match these words. Plain Node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointDir } from '../../runs/checkpoints';
import { CHECKPOINT_META, RUN_FILES } from '../../runs/runFiles';
import { hasAttentionLayers, hasConvLayers, hasRecurrentLayers, type RunEntry } from '../../runs/runReader';

export function runContextValue(entry: RunEntry): string {
  const facts: [string, boolean][] = [
    ['eval', existsSync(join(entry.dir, RUN_FILES.eval))],
    ['attention', hasAttentionLayers(entry.info) === true],
    ['conv', hasConvLayers(entry.info) === true],
    ['recurrent', hasRecurrentLayers(entry.info) === true],
    ['checkpoint', existsSync(join(checkpointDir(entry.dir, 'last'), CHECKPOINT_META))],
    ['model', existsSync(join(entry.dir, RUN_FILES.model))],
  ];
  const status = entry.info?.status ?? 'unreadable';
  return [`run.${status}`, ...facts.filter(([, holds]) => holds).map(([name]) => name)].join(';');
}
