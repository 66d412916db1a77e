import * as vscode from 'vscode';
import type { ExperimentBusyError, RunManager } from './runManager';

/**
 * Train on an experiment that is already training: says so, and offers to stop
 * that run (it keeps its checkpoint and metrics) and start the new one once the
 * old process has finished, or to look at the running one.
 */
export async function offerRestart(
  error: ExperimentBusyError,
  manager: RunManager,
  trainAgain: () => Promise<unknown>,
): Promise<void> {
  const stopAndTrain = vscode.l10n.t('Stop and Train Again');
  const showMetrics = vscode.l10n.t('Show Metrics');
  const choice = await vscode.window.showWarningMessage(error.message, stopAndTrain, showMetrics);
  if (choice === stopAndTrain) {
    manager.stop(error.busy.runDir);
    await error.busy.done;
    await trainAgain();
  } else if (choice === showMetrics) {
    await vscode.commands.executeCommand('modelLab.openMetrics', { runDir: error.busy.runDir });
  }
}
