import * as vscode from 'vscode';
import type { ExperimentBusyError, RunManager } from './runManager';

const STOP_AND_TRAIN = 'Stop and Train Again';
const SHOW_METRICS = 'Show Metrics';

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
  const choice = await vscode.window.showWarningMessage(error.message, STOP_AND_TRAIN, SHOW_METRICS);
  if (choice === STOP_AND_TRAIN) {
    manager.stop(error.busy.runDir);
    await error.busy.done;
    await trainAgain();
  } else if (choice === SHOW_METRICS) {
    await vscode.commands.executeCommand('modelLab.openMetrics', { runDir: error.busy.runDir });
  }
}
