import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_THREADS_SETTING, isThreadsSetting, threadsFor } from '../../contract/threads';

/**
 * The threads the next run trains with, from the modelLab.threads setting (contract/threads.ts).
 * A value that is neither "auto" nor a whole number ≥ 1 trains as "auto" and says so in a warning
 * (settings.json underlines it too).
 */
export function trainingThreads(): number {
  const value = vscode.workspace
    .getConfiguration('modelLab')
    .get<unknown>('threads', DEFAULT_THREADS_SETTING);
  if (isThreadsSetting(value)) return threadsFor(value, availableParallelism());
  void vscode.window.showWarningMessage(
    vscode.l10n.t(
      'The setting modelLab.threads is {0}; it takes "auto" or a whole number of threads (1 or more). This run trains with "auto".',
      JSON.stringify(value),
    ),
  );
  return threadsFor(DEFAULT_THREADS_SETTING, availableParallelism());
}
