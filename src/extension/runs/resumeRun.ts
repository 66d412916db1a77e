/**
 * Resume from the Runs view. A resumed run trains with the run's saved
 * config (run.json), never the file as it is now: when the file changed
 * since, the user is told what changed and chooses between resuming with the
 * saved config and a new run from the current file. A completed run has
 * nothing to resume; instead of quietly adding a near-copy, it offers Train
 * Again.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { changesSince } from '../../experiment/configChanges';
import { readRunInfo } from '../../runs/runReader';

export const RESUME_SAVED = 'Resume with Saved Config';
export const TRAIN_CURRENT = 'Train with the Current File';
const TRAIN_AGAIN = 'Train Again';

export interface TrainRequest {
  experimentFile: string;
  resumeFrom?: string;
}

export async function resumeRun(
  runDir: string | undefined,
  train: (request: TrainRequest) => Promise<string | undefined>,
): Promise<string | undefined> {
  const info = runDir ? readRunInfo(runDir) : undefined;
  if (!runDir || !info) {
    void vscode.window.showErrorMessage('Choose a run in the Runs view to resume.');
    return undefined;
  }
  const experimentFile = info.experimentFile;
  const fileName = basename(experimentFile);
  if (info.status === 'completed') {
    const choice = await vscode.window.showInformationMessage(
      `Run ${info.id} completed: there is nothing to resume. Train Again starts a new run from ${fileName}.`,
      TRAIN_AGAIN,
    );
    return choice === TRAIN_AGAIN ? train({ experimentFile }) : undefined;
  }
  const changes = changesSince(info.config, experimentFile);
  if (changes.length === 0) return train({ experimentFile, resumeFrom: runDir });
  const choice = await vscode.window.showWarningMessage(
    `${fileName} changed since run ${info.id} started (${changes.join('; ')}). Resume continues with the run's saved config; the current file trains as a new run.`,
    RESUME_SAVED,
    TRAIN_CURRENT,
  );
  if (choice === RESUME_SAVED) return train({ experimentFile, resumeFrom: runDir });
  if (choice === TRAIN_CURRENT) return train({ experimentFile });
  return undefined;
}
