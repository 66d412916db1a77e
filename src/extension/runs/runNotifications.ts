/**
 * What the user sees while a run trains and when it ends: a progress
 * notification whose Cancel stops the run, then a message with next steps.
 */
import * as vscode from 'vscode';
import type { ActiveRun } from './activeRun';
import type { RunManager } from './runManager';
import { formatProgress, PROGRESS_REPAINT_MS } from './runSummary';
import { throttle } from '../../contract/throttle';

export function showRunProgress(manager: RunManager, run: ActiveRun): void {
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Training {0}', run.experiment),
      cancellable: true,
    },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let reported = 0;
        const cancel = token.onCancellationRequested(() => {
          manager.stop(run.runDir);
          progress.report({ message: vscode.l10n.t('stopping after the current step…') });
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
        }, PROGRESS_REPAINT_MS);
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
  const showLogAction = vscode.l10n.t('Show Log');
  const openMetrics = vscode.l10n.t('Open Metrics');
  const openEvaluation = vscode.l10n.t('Open Evaluation');
  const resume = vscode.l10n.t('Resume');
  const text = vscode.l10n.t('{0}: {1}', run.experiment, outcome.message);
  if (outcome.status === 'failed') {
    const choice = await vscode.window.showErrorMessage(text, showLogAction, openMetrics);
    if (choice === showLogAction) showLog();
    if (choice === openMetrics) await vscode.commands.executeCommand('modelLab.openMetrics', args);
    return;
  }
  const actions = outcome.status === 'completed' ? [openEvaluation, openMetrics] : [resume, openMetrics];
  // A completed run says its result; how it ended (the step limit, early stopping) is in the log.
  const choice = await vscode.window.showInformationMessage(outcome.result ?? text, ...actions);
  if (choice === openEvaluation) await vscode.commands.executeCommand('modelLab.openEvaluation', args);
  if (choice === openMetrics) await vscode.commands.executeCommand('modelLab.openMetrics', args);
  if (choice === resume) await vscode.commands.executeCommand('modelLab.resume', args);
}

/** Says so when the requested device (cuda, webgpu) did not work and the run fell back to another one. */
export function warnOnDeviceFallback(manager: RunManager, run: ActiveRun): void {
  const listener = manager.onDidChangeRun((changed) => {
    const device = changed === run ? run.progress.device : undefined;
    if (!device) return;
    listener.dispose();
    if (device.requested !== 'auto' && device.requested !== device.chosen) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0}: {1} is not available, training on {2}. {3}',
          run.experiment,
          device.requested,
          device.chosen,
          device.message,
        ),
      );
    }
  });
  void run.done.then(() => listener.dispose());
}
