import * as vscode from 'vscode';
import { ATTENTION_VIEW_TYPE } from '../../protocol/attentionPanel';
import { EVALUATION_VIEW_TYPE } from '../../protocol/evaluationPanel';
import { isMetricsPanelState, METRICS_VIEW_TYPE } from '../../protocol/metricsPanel';
import { isSingleRunPanelState } from '../../protocol/panelRuns';
import { AttentionPanel, type AttentionProber } from './attentionPanel';
import { EvaluationPanel } from './evaluationPanel';
import { MetricsPanel } from './metricsPanel';
import { PANEL_COMMANDS } from './panelCommandIds';
import { pickRuns, runDirOf } from './runTarget';

/** The run a command is about: from its argument, or picked by the user. */
async function oneRun(arg: unknown, title: string): Promise<string | undefined> {
  return runDirOf(arg) ?? (await pickRuns({ title, canPickMany: false }))?.[0];
}

/**
 * Runs to compare: a Runs-view multi-selection arrives as (clicked, selected[]);
 * other callers pass `{ runDirs }` or an array; with nothing, a multi-select QuickPick.
 */
async function severalRuns(first: unknown, selected: unknown): Promise<string[] | undefined> {
  const candidates = Array.isArray(selected) ? selected : Array.isArray(first) ? first : [first];
  const fromObject =
    typeof first === 'object' && first !== null && Array.isArray((first as { runDirs?: unknown }).runDirs)
      ? (first as { runDirs: unknown[] }).runDirs
      : [];
  const dirs = [...new Set([...fromObject, ...candidates].map(runDirOf).filter((d): d is string => !!d))];
  if (dirs.length > 1) return dirs;
  return pickRuns({ title: 'Runs to compare', canPickMany: true });
}

/**
 * Commands and reload serializers of the metrics, evaluation and attention
 * panels. `prober` runs custom attention probes (absent: the panel says why).
 */
export function registerPanelCommands(
  extensionUri: vscode.Uri,
  prober?: AttentionProber,
): vscode.Disposable[] {
  const command = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, run);
  return [
    command(PANEL_COMMANDS.openMetrics, async (arg) => {
      const runDir = await oneRun(arg, 'Open metrics of run');
      return runDir && MetricsPanel.show(extensionUri, [runDir]);
    }),
    command(PANEL_COMMANDS.compareRuns, async (first, selected) => {
      const runDirs = await severalRuns(first, selected);
      return runDirs && MetricsPanel.show(extensionUri, runDirs);
    }),
    command(PANEL_COMMANDS.openEvaluation, async (arg) => {
      const runDir = await oneRun(arg, 'Open evaluation of run');
      return runDir && EvaluationPanel.show(extensionUri, runDir);
    }),
    command(PANEL_COMMANDS.openAttention, async (arg) => {
      const runDir = await oneRun(arg, 'Open attention of run');
      return runDir && AttentionPanel.show(extensionUri, runDir, prober);
    }),
    // After a window reload VS Code hands back each open panel with the state its webview saved.
    vscode.window.registerWebviewPanelSerializer(METRICS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        if (isMetricsPanelState(state) && state.runDirs.length > 0) {
          await MetricsPanel.restore(panel, extensionUri, state.runDirs);
        } else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(EVALUATION_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        if (isSingleRunPanelState(state)) EvaluationPanel.restore(panel, extensionUri, state.runDir);
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ATTENTION_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        if (isSingleRunPanelState(state)) AttentionPanel.restore(panel, extensionUri, state.runDir, prober);
        else panel.dispose();
      },
    }),
  ];
}
