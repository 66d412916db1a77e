import * as vscode from 'vscode';
import { ATTENTION_VIEW_TYPE } from '../../protocol/attentionPanel';
import { EVALUATION_VIEW_TYPE } from '../../protocol/evaluationPanel';
import { isMetricsPanelState, METRICS_VIEW_TYPE } from '../../protocol/metricsPanel';
import { isSingleRunPanelState } from '../../protocol/panelRuns';
import { AttentionPanel, type AttentionProber } from './attentionPanel';
import { EvaluationPanel } from './evaluationPanel';
import { MetricsPanel, type LiveRuns } from './metricsPanel';
import { PLAYGROUND_PANEL } from './playgroundPanel';
import { CNN_INSIDE_PANEL, whyNoCnnInside } from './cnnInsidePanel';
import { RNN_INSIDE_PANEL, whyNoRnnInside } from './rnnInsidePanel';
import { InferencePanel, type InferencePanelSpec } from './inferencePanel';
import type { ForkInference } from './runInference';
import { PANEL_COMMANDS } from './panelCommandIds';
import { isRestorableRunDir, rememberRunDir } from './restorableRuns';
import { pickRuns, runDirOf } from './runTarget';
import { allRunsDirs } from '../runs/runsRoots';

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
  return pickRuns({ title: vscode.l10n.t('Runs to compare'), canPickMany: true });
}

const OPENED_RUNS_KEY = 'modelLab.panelRunDirs';

async function pickFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t(
      'Open a run folder: Model Lab run, TensorBoard event files or Lightning metrics.csv',
    ),
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Open Run Folder'),
  });
  return picked?.[0]?.fsPath;
}

/**
 * Commands and reload serializers of the metrics, evaluation and attention
 * panels, the playground and the CNN inside view. `prober` runs custom attention probes
 * (absent: the panel says why); `forkInference` starts the inference process of the
 * playground and the CNN inside view.
 * `workspaceState` remembers the run folders opened through commands, the only
 * ones outside the workspace's runs folders a restored panel may reopen. `liveRuns` (the runs
 * training in this window) gives the metrics panel its ETA.
 */
export function registerPanelCommands(
  extensionUri: vscode.Uri,
  workspaceState: vscode.Memento,
  prober?: AttentionProber,
  forkInference?: ForkInference,
  liveRuns?: LiveRuns,
): vscode.Disposable[] {
  const command = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, run);
  const opened = (): string[] => workspaceState.get<string[]>(OPENED_RUNS_KEY, []);
  const remember = (runDirs: string[]): void => {
    void workspaceState.update(OPENED_RUNS_KEY, runDirs.reduce(rememberRunDir, opened()));
  };
  /** The saved folders a restored panel may open: the workspace's and configured runs, and those opened through commands. */
  const restorable = (runDirs: unknown[]): string[] => {
    const known = new Set(opened());
    return runDirs.filter((dir) => isRestorableRunDir(dir, allRunsDirs(), known));
  };
  /**
   * A Look Inside command: the run from the argument or picked, refused with the reason (a
   * model without the layers the view shows) instead of opening an empty panel.
   */
  const lookInside =
    <T>(
      spec: InferencePanelSpec<T>,
      pickTitle: string,
      whyNot: (runDir: string) => Promise<string | undefined>,
    ) =>
    async (arg: unknown) => {
      const runDir = await oneRun(arg, pickTitle);
      if (!runDir || !forkInference) return undefined;
      const refusal = await whyNot(runDir);
      if (refusal) {
        void vscode.window.showWarningMessage(refusal);
        return undefined;
      }
      remember([runDir]);
      return InferencePanel.show(spec, extensionUri, runDir, forkInference);
    };
  return [
    command(PANEL_COMMANDS.openMetrics, async (arg) => {
      const runDir = await oneRun(arg, vscode.l10n.t('Open metrics of run'));
      if (runDir) remember([runDir]);
      return runDir && MetricsPanel.show(extensionUri, [runDir], liveRuns);
    }),
    // Any folder: a Model Lab run from elsewhere, TensorBoard event files, a Lightning metrics.csv.
    command(PANEL_COMMANDS.openRunFolder, async (arg) => {
      const runDir = runDirOf(arg) ?? (await pickFolder());
      if (runDir) remember([runDir]);
      return runDir && MetricsPanel.show(extensionUri, [runDir], liveRuns);
    }),
    command(PANEL_COMMANDS.compareRuns, async (first, selected) => {
      const runDirs = await severalRuns(first, selected);
      if (runDirs) remember(runDirs);
      return runDirs && MetricsPanel.show(extensionUri, runDirs, liveRuns);
    }),
    command(PANEL_COMMANDS.openEvaluation, async (arg) => {
      const runDir = await oneRun(arg, vscode.l10n.t('Open evaluation of run'));
      if (runDir) remember([runDir]);
      return runDir && EvaluationPanel.show(extensionUri, runDir);
    }),
    command(PANEL_COMMANDS.openAttention, async (arg) => {
      const runDir = await oneRun(arg, vscode.l10n.t('Open attention of run'));
      if (runDir) remember([runDir]);
      return runDir && AttentionPanel.show(extensionUri, runDir, prober);
    }),
    command(PANEL_COMMANDS.openPlayground, async (arg) => {
      const runDir = await oneRun(arg, vscode.l10n.t('Open the playground of run'));
      if (runDir) remember([runDir]);
      return (
        runDir && forkInference && InferencePanel.show(PLAYGROUND_PANEL, extensionUri, runDir, forkInference)
      );
    }),
    command(
      PANEL_COMMANDS.lookInsideCnn,
      lookInside(CNN_INSIDE_PANEL, vscode.l10n.t('Look inside the CNN of run'), whyNoCnnInside),
    ),
    command(
      PANEL_COMMANDS.lookInsideRnn,
      lookInside(RNN_INSIDE_PANEL, vscode.l10n.t('Look inside the LSTM/GRU of run'), whyNoRnnInside),
    ),
    // After a window reload VS Code hands back each open panel with the state its webview saved.
    vscode.window.registerWebviewPanelSerializer(METRICS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const runDirs = isMetricsPanelState(state) ? restorable(state.runDirs) : [];
        if (runDirs.length > 0) await MetricsPanel.restore(panel, extensionUri, runDirs, liveRuns);
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(EVALUATION_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const [runDir] = isSingleRunPanelState(state) ? restorable([state.runDir]) : [];
        if (runDir) EvaluationPanel.restore(panel, extensionUri, runDir);
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ATTENTION_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const [runDir] = isSingleRunPanelState(state) ? restorable([state.runDir]) : [];
        if (runDir) AttentionPanel.restore(panel, extensionUri, runDir, prober);
        else panel.dispose();
      },
    }),
    ...[PLAYGROUND_PANEL, CNN_INSIDE_PANEL, RNN_INSIDE_PANEL].map((spec: InferencePanelSpec<unknown>) =>
      vscode.window.registerWebviewPanelSerializer(spec.viewType, {
        async deserializeWebviewPanel(panel, state: unknown) {
          const [runDir] = isSingleRunPanelState(state) ? restorable([state.runDir]) : [];
          if (runDir && forkInference)
            InferencePanel.restore(spec, panel, extensionUri, runDir, forkInference);
          else panel.dispose();
        },
      }),
    ),
  ];
}
