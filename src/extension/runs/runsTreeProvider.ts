/**
 * The Runs view: experiments → runs, read from every workspace folder's
 * `.modellab/runs`. Each run shows a status icon and its final metrics;
 * `contextValue` (runContext.ts) says its status and what it has, so menus
 * offer only what applies.
 * Refreshes when a run changes in this window or run.json changes on disk.
 */
import * as vscode from 'vscode';
import type { RunInfo } from '../../runs/runFiles';
import type { RunStatus } from '../../contract/runStatus';
import { listExperiments, listRuns, type RunEntry } from '../../runs/runReader';
import { Emitter } from '../emitter';
import { runContextValue } from './runContext';
import { formatSummary, formatTooltip } from './runSummary';

export class ExperimentItem extends vscode.TreeItem {
  constructor(
    readonly experiment: string,
    readonly runs: RunItem[],
  ) {
    super(experiment, vscode.TreeItemCollapsibleState.Expanded);
    this.contextValue = 'experiment';
    this.iconPath = new vscode.ThemeIcon('beaker');
    this.description = runs.length === 1 ? vscode.l10n.t('1 run') : vscode.l10n.t('{0} runs', runs.length);
    this.id = `experiment:${experiment}`;
  }

  /** The experiment file of its newest run, to train it again from the view. */
  get experimentFile(): string | undefined {
    return this.runs.find((run) => run.info?.experimentFile)?.info?.experimentFile;
  }
}

const STATUS_ICONS: Record<RunStatus, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  // Still, not a spinner: an animation repaints the workbench for as long as the run trains (runStatusBar.ts).
  running: new vscode.ThemeIcon('pulse', new vscode.ThemeColor('charts.blue')),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  stopped: new vscode.ThemeIcon('debug-stop'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  interrupted: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

/** A run in the view. `runDir` is what the panel commands take (`{ runDir }`). */
export class RunItem extends vscode.TreeItem {
  readonly runDir: string;
  readonly info: RunInfo | undefined;

  constructor(entry: RunEntry) {
    super(entry.id, vscode.TreeItemCollapsibleState.None);
    this.runDir = entry.dir;
    this.info = entry.info;
    const status = entry.info?.status;
    this.id = `run:${entry.dir}`;
    this.contextValue = runContextValue(entry);
    this.iconPath = status ? STATUS_ICONS[status] : new vscode.ThemeIcon('question');
    this.description = entry.info
      ? formatSummary(entry.info)
      : vscode.l10n.t('run.json is missing or damaged');
    this.tooltip = formatTooltip(entry.id, entry.info, vscode.env.language);
    this.resourceUri = vscode.Uri.file(entry.dir);
    this.command = {
      title: vscode.l10n.t('Open Metrics'),
      command: 'modelLab.openMetrics',
      arguments: [{ runDir: entry.dir }],
    };
  }
}

type Node = ExperimentItem | RunItem;

const LIVE_POLL_MS = 5000;

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: NodeJS.Timeout | undefined;
  private livePollTimer: NodeJS.Timeout | undefined;

  constructor(private readonly runsDirs: () => string[]) {}

  /** Coalesces bursts (every metrics event of a live run) into one refresh. */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, 250);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (node instanceof ExperimentItem) return node.runs;
    if (node) return [];
    const byExperiment = new Map<string, RunItem[]>();
    for (const runsDir of this.runsDirs()) {
      for (const experiment of listExperiments(runsDir)) {
        const runs = listRuns(runsDir, experiment).map((entry) => new RunItem(entry));
        byExperiment.set(experiment, [...(byExperiment.get(experiment) ?? []), ...runs]);
      }
    }
    this.pollWhileLive([...byExperiment.values()].flat());
    return [...byExperiment.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([experiment, runs]) => new ExperimentItem(experiment, runs.reverse()));
  }

  /**
   * While a listed run is training or queued, the view reads the runs again every few seconds:
   * file events can be late or missing (a synced or network folder, a busy machine), and a run
   * another process trains must not look "running" after it stopped.
   */
  private pollWhileLive(runs: readonly RunItem[]): void {
    const live = runs.some((run) => run.info?.status === 'running' || run.info?.status === 'queued');
    if (!live || this.livePollTimer) return;
    this.livePollTimer = setTimeout(() => {
      this.livePollTimer = undefined;
      this.changed.fire();
    }, LIVE_POLL_MS);
  }

  /** The view's content as plain data: experiments with their runs' folder, status and description. */
  snapshot(): { experiment: string; runs: { runDir: string; status?: string; description: string }[] }[] {
    return this.getChildren()
      .filter((node): node is ExperimentItem => node instanceof ExperimentItem)
      .map((item) => ({
        experiment: item.experiment,
        runs: item.runs.map((run) => ({
          runDir: run.runDir,
          status: run.info?.status,
          description: String(run.description ?? ''),
        })),
      }));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.livePollTimer);
    this.changed.dispose();
  }
}
