/**
 * Status bar item of the training runs in this window: experiment, epoch/step, loss, device. Its
 * icon is a still pulse, not a spinner: an animated icon repaints the workbench 20 times a second
 * for as long as a run trains, and where Chromium composites in software (no GPU: VMs, remote
 * desktops) that took half a core from the editor; the step count changing is motion enough.
 */
import * as vscode from 'vscode';
import type { RunManager } from './runManager';
import { formatProgress, PROGRESS_REPAINT_MS } from './runSummary';
import { throttle } from '../../contract/throttle';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'modelLab.runStatus',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;
  private readonly scheduleUpdate = throttle(() => this.update(), PROGRESS_REPAINT_MS);

  constructor(private readonly manager: RunManager) {
    this.item.name = vscode.l10n.t('Model Lab Training');
    this.item.command = 'modelLab.showRunLog';
    // Progress repaints at most once a second; the last run's end hides the item at once, so a
    // run shorter than that never leaves its first "step 0" showing after it ended.
    this.subscription = manager.onDidChangeRun(() =>
      manager.activeRuns.length === 0 ? this.update() : this.scheduleUpdate(),
    );
  }

  private update(): void {
    const [first, ...others] = this.manager.activeRuns;
    if (!first) {
      this.item.hide();
      return;
    }
    const more = others.length > 0 ? vscode.l10n.t(' (+{0} more)', others.length) : '';
    this.item.text = `$(pulse) ${formatProgress(first.progress, first.experiment)}${more}`;
    this.item.tooltip = vscode.l10n.t(
      'Model Lab is training {0}{1}. Click for the run log; stop with "Model Lab: Stop Training".',
      first.experiment,
      more,
    );
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.scheduleUpdate.dispose();
    this.item.dispose();
  }
}
