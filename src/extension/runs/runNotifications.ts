/**
 * What the user sees while a run trains and when it ends: a progress
 * notification whose Cancel stops the run, then a message with next steps.
 */
import * as vscode from 'vscode';
import type { ActiveRun } from './activeRun';
import type { RunManager } from './runManager';
import { formatProgress } from './runSummary';
import { throttle } from './throttle';

export function showRunProgress(manager: RunManager, run: ActiveRun): void {
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Training ${run.experiment}`,
      cancellable: true,
    },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let reported = 0;
        const cancel = token.onCancellationRequested(() => {
          manager.stop(run.runDir);
          progress.report({ message: 'stopping after the current step…' });
        });
        const report = throttle(() => {
          if (token.isCancellationRequested) return;
          const total = run.progress.totalSteps;
          const percent = total ? (100 * run.progress.step) / total : 0;
          progress.report({
            message: formatProgress(run.progress), // the title names the experiment
            increment: percent - reported,
          });
          reported = percent;
        });
        const listener = manager.onDidChangeRun((changed) => {
          if (changed === run) report();
        });
        void run.done.then(() => {
          cancel.dispose();
          listener.dispose();
          report.dispose();
          resolve();
        });
      }),
  );
}

/** After the run: a message that says how it ended and offers the next step. */
export async function announceOutcome(run: ActiveRun, showLog: () => void): Promise<void> {
  const outcome = await run.done;
  const args = { runDir: run.runDir };
  if (outcome.status === 'failed') {
    const choice = await vscode.window.showErrorMessage(
      `${run.experiment}: ${outcome.message}`,
      'Show Log',
      'Open Metrics',
    );
    if (choice === 'Show Log') showLog();
    if (choice === 'Open Metrics') await vscode.commands.executeCommand('modelLab.openMetrics', args);
    return;
  }
  const actions =
    outcome.status === 'completed' ? ['Open Evaluation', 'Open Metrics'] : ['Resume', 'Open Metrics'];
  // A completed run says its result; how it ended (the step limit, early stopping) is in the log.
  const choice = await vscode.window.showInformationMessage(
    outcome.result ?? `${run.experiment}: ${outcome.message}`,
    ...actions,
  );
  if (choice === 'Open Evaluation') await vscode.commands.executeCommand('modelLab.openEvaluation', args);
  if (choice === 'Open Metrics') await vscode.commands.executeCommand('modelLab.openMetrics', args);
  if (choice === 'Resume') await vscode.commands.executeCommand('modelLab.resume', args);
}

/** Says so when the requested device (cuda, webgpu) did not work and the run fell back to another one. */
export function warnOnDeviceFallback(manager: RunManager, run: ActiveRun): void {
  const listener = manager.onDidChangeRun((changed) => {
    const device = changed === run ? run.progress.device : undefined;
    if (!device) return;
    listener.dispose();
    if (device.requested !== 'auto' && device.requested !== device.chosen) {
      void vscode.window.showWarningMessage(
        `${run.experiment}: ${device.requested} is not available, training on ${device.chosen}. ${device.message}`,
      );
    }
  });
  void run.done.then(() => listener.dispose());
}
