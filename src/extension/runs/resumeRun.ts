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
    void vscode.window.showErrorMessage(vscode.l10n.t('Choose a run in the Runs view to resume.'));
    return undefined;
  }
  const experimentFile = info.experimentFile;
  const fileName = basename(experimentFile);
  if (info.status === 'completed') {
    const trainAgain = vscode.l10n.t('Train Again');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Run {0} completed: there is nothing to resume. Train Again starts a new run from {1}.',
        info.id,
        fileName,
      ),
      trainAgain,
    );
    return choice === trainAgain ? train({ experimentFile }) : undefined;
  }
  const changes = changesSince(info.config, experimentFile);
  if (changes.length === 0) return train({ experimentFile, resumeFrom: runDir });
  const resumeSaved = vscode.l10n.t('Resume with Saved Config');
  const trainCurrent = vscode.l10n.t('Train with the Current File');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      "{0} changed since run {1} started ({2}). Resume continues with the run's saved config; the current file trains as a new run.",
      fileName,
      info.id,
      changes.join('; '),
    ),
    resumeSaved,
    trainCurrent,
  );
  if (choice === resumeSaved) return train({ experimentFile, resumeFrom: runDir });
  if (choice === trainCurrent) return train({ experimentFile });
  return undefined;
}
