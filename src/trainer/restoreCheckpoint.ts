/**
 * Loads a run's checkpoint into a compiled model, for resuming, evaluating and the panels that
 * run the model. A checkpoint the model cannot take is explained with the file it came from and
 * what to do, since "it was saved from a different model" is not true of every such file.
 */
import * as l10n from '@vscode/l10n';
import { join } from 'node:path';
import type { CheckpointKind } from '../contract/checkpointKind';
import type { TrainableModel } from '../engine/api';
import { MissingRunningStatisticsError } from '../engine/runtime/missingRunningStatistics';
import { checkpointDir, type Checkpoint } from '../runs/checkpoints';
import { CHECKPOINT_META } from '../runs/runFiles';

export async function restoreCheckpoint(
  model: TrainableModel,
  runDir: string,
  kind: CheckpointKind,
  checkpoint: Checkpoint,
): Promise<void> {
  try {
    await model.setState(checkpoint.state);
  } catch (error) {
    if (!(error instanceof MissingRunningStatisticsError)) throw error;
    throw new Error(
      l10n.t(
        "{0} was saved by an earlier Model Lab, before checkpoints kept BatchNormalization's running mean and variance ({1}): these weights cannot be evaluated or trained further without them. Train the experiment again as a new run (not resumed from this one); its checkpoints keep them.",
        join(checkpointDir(runDir, kind), CHECKPOINT_META),
        error.statistics.join(', '),
      ),
      { cause: error },
    );
  }
}
