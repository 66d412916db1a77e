/**
 * The training loop with its run folder: every event is written to the run
 * folder first, then passed on (to the terminal, or to the windows attached
 * to the training process). One path for the CLI and the training process,
 * so both leave identical folders and a window that goes away loses nothing.
 * A folder that stops accepting writes stops the run, and its error becomes
 * the outcome.
 */
import {
  isTrainerOutcome,
  type StartTraining,
  type TrainerEvent,
  type TrainerOutcome,
} from '../protocol/training';
import { RunFolderError } from '../runs/runFolderError';
import type { RunRecorder } from '../runs/runRecorder';
import { runTraining, type TrainerHooks } from './trainer';
import type { TrainerDeps } from './trainerDeps';

export interface RecordedHooks extends Omit<TrainerHooks, 'emit'> {
  /** After the event is on disk. */
  forward(event: TrainerEvent): void;
}

export async function trainRecorded(
  request: StartTraining,
  deps: TrainerDeps,
  recorder: RunRecorder,
  hooks: RecordedHooks,
): Promise<TrainerOutcome> {
  let writeError: RunFolderError | undefined;
  const record = (event: TrainerEvent): void => {
    if (writeError) return;
    try {
      recorder.handle(event);
    } catch (error) {
      writeError =
        error instanceof RunFolderError ? error : new RunFolderError(String(error), recorder.writer.dir);
    }
  };
  const outcome = await runTraining(request, deps, {
    ...hooks,
    emit: (event) => {
      if (isTrainerOutcome(event)) return; // recorded below, once the write errors are known
      record(event);
      hooks.forward(event);
    },
    stopRequested: () => writeError !== undefined || hooks.stopRequested(),
  });
  const final: TrainerOutcome = writeError ? { type: 'failed', error: writeError.message } : outcome;
  try {
    recorder.handle(final);
  } catch {
    // The folder refused the outcome too; the error is what the caller reports.
  }
  hooks.forward(final);
  return final;
}
