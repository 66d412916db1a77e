import { basename } from 'node:path';
import * as vscode from 'vscode';
import {
  isAddRunMessage,
  isOpenAttentionMessage,
  isOpenCnnInsideMessage,
  isOpenRnnInsideMessage,
  isOpenEvaluationMessage,
  isRemoveRunMessage,
  isSaveCsvMessage,
  isSavePngMessage,
  METRICS_VIEW_TYPE,
  type HostToMetrics,
} from '../../protocol/metricsPanel';
import type { PanelRun } from '../../protocol/panelRuns';
import type { Listener } from '../emitter';
import { DisposableStore, type IDisposable } from '../lifecycle';
import type { RunProgress } from '../../runs/trainerEventText';
import { formatEta } from '../runs/runSummary';
import { PANEL_COMMANDS } from './panelCommandIds';
import { RunFeed, type ConsumeRecords } from './runFeed';
import { runModelSummary } from './runModelSummary';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from './runPanelHost';
import { readRunInfoAsync } from '../../runs/runReader';
import { describeRun, pickRuns } from './runTarget';
import { shortRunNames, type NamedRun } from '../../runs/compareNames';
import { pngBytes, saveExport } from './saveExport';

const SPEC: RunPanelSpec = {
  viewType: METRICS_VIEW_TYPE,
  script: 'metrics.js',
  title: () => vscode.l10n.t('Metrics'),
};
/** Runs training in this window (the RunManager): each change of one's progress or status. */
export interface LiveRuns {
  onDidChangeRun(listener: Listener<{ runDir: string; status: string; progress: RunProgress }>): IDisposable;
}

/** Records per message. */
const RECORDS_PER_MESSAGE = 50_000;

/**
 * Metrics panel for one run, or several overlaid (compare). It tails each run's
 * metrics.jsonl itself, so it works the same for runs started in the editor, by
 * the CLI, or finished long ago, and after a window reload.
 */
export class MetricsPanel extends RunPanelHost<HostToMetrics> {
  private static readonly open = new Set<MetricsPanel>();
  private readonly feeds = new Map<string, RunFeed>();
  /** Id, name and config of each run, for the short names of compared runs. */
  private readonly named = new Map<string, NamedRun>();
  private readonly feedStore = this._register(new DisposableStore());
  /** The ETA last sent per run (empty: none shown). */
  private readonly etas = new Map<string, string>();

  /** Reveals the panel already showing exactly these runs, or opens one. */
  static async show(extensionUri: vscode.Uri, runDirs: string[], liveRuns?: LiveRuns): Promise<MetricsPanel> {
    const existing = [...MetricsPanel.open].find((p) => sameRuns(p.runDirs, runDirs));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return MetricsPanel.restore(createRunWebviewPanel(extensionUri, SPEC), extensionUri, runDirs, liveRuns);
  }

  /** Takes over a panel (new, or restored by the serializer after a reload). */
  static async restore(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    runDirs: string[],
    liveRuns?: LiveRuns,
  ): Promise<MetricsPanel> {
    const host = new MetricsPanel(panel, extensionUri, liveRuns);
    for (const runDir of runDirs) await host.addRun(runDir);
    return host;
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, liveRuns?: LiveRuns) {
    super(panel, extensionUri, SPEC);
    MetricsPanel.open.add(this);
    // The header's ETA follows the same progress events, and the same wording, as the status bar.
    if (liveRuns)
      this._register(
        liveRuns.onDidChangeRun((run) => {
          if (!this.feeds.has(run.runDir)) return;
          const text = run.status === 'running' ? (formatEta(run.progress) ?? '') : '';
          if ((this.etas.get(run.runDir) ?? '') === text) return;
          this.etas.set(run.runDir, text);
          this.post({ type: 'eta', runDir: run.runDir, text });
        }),
      );
  }

  get runDirs(): string[] {
    return [...this.feeds.keys()];
  }

  /** Every MetricsPanel currently open (integration tests inspect them). */
  static get panels(): readonly MetricsPanel[] {
    return [...MetricsPanel.open];
  }

  async addRun(runDir: string): Promise<void> {
    if (this.feeds.has(runDir)) return;
    await this.readName(runDir);
    const feed = new RunFeed(await describeRun(runDir), () => void this.refresh(feed));
    this.feeds.set(runDir, feed);
    this.feedStore.add(feed);
    this.updateTitle();
    this.post({ type: 'runs', runs: this.runs() });
    if (!this.isReady) return;
    await this.sendRecords(feed);
    if (feed.run.runDir === this.runDirs[0]) await this.sendDynamics(false);
  }

  protected async sendAll(): Promise<void> {
    this.post({ type: 'runs', runs: this.runs() });
    for (const [runDir, text] of this.etas)
      if (this.feeds.has(runDir)) this.post({ type: 'eta', runDir, text });
    // Posted when ready: a model whose new last layer the data sizes reads the data first.
    if (this.runDirs[0])
      void runModelSummary(this.runDirs[0]).then((message) => {
        if (!this.isDisposed) this.post(message);
      });
    for (const feed of this.feeds.values()) await feed.readFromStart(this.postRecords(feed));
    await this.sendDynamics(true);
  }

  /** Training dynamics are charted for the run the panel is about (its first run). */
  private async sendDynamics(fromStart: boolean): Promise<void> {
    const feed = this.feeds.get(this.runDirs[0]);
    await feed?.readDynamics(fromStart, (records, reset) =>
      this.post({ type: 'dynamics', runDir: feed.run.runDir, records, reset }),
    );
  }

  protected async receive(message: unknown): Promise<void> {
    if (isAddRunMessage(message)) {
      const picked = await pickRuns({
        title: vscode.l10n.t('Add runs to compare'),
        canPickMany: true,
        exclude: this.runDirs,
      });
      for (const runDir of picked ?? []) await this.addRun(runDir);
    } else if (isRemoveRunMessage(message)) {
      this.removeRun(message.runDir);
    } else if (isSaveCsvMessage(message)) {
      await saveExport(message.suggestedName, Buffer.from(message.csv, 'utf8'), { CSV: ['csv'] });
    } else if (isSavePngMessage(message)) {
      await saveExport(message.suggestedName, pngBytes(message.dataUrl), {
        [vscode.l10n.t('PNG image')]: ['png'],
      });
    } else if (isOpenEvaluationMessage(message) && this.feeds.has(message.runDir)) {
      await vscode.commands.executeCommand(PANEL_COMMANDS.openEvaluation, { runDir: message.runDir });
    } else if (isOpenAttentionMessage(message) && this.feeds.has(message.runDir)) {
      await vscode.commands.executeCommand(PANEL_COMMANDS.openAttention, { runDir: message.runDir });
    } else if (isOpenCnnInsideMessage(message) && this.feeds.has(message.runDir)) {
      await vscode.commands.executeCommand(PANEL_COMMANDS.lookInsideCnn, { runDir: message.runDir });
    } else if (isOpenRnnInsideMessage(message) && this.feeds.has(message.runDir)) {
      await vscode.commands.executeCommand(PANEL_COMMANDS.lookInsideRnn, { runDir: message.runDir });
    }
  }

  /** What short names are made of: the run's id, name and config (run.json). */
  private async readName(runDir: string): Promise<void> {
    const info = await readRunInfoAsync(runDir);
    this.named.set(runDir, { id: info?.id ?? basename(runDir), config: info?.config });
  }

  private removeRun(runDir: string): void {
    const feed = this.feeds.get(runDir);
    // Any compared run can go; the last one stays (close the panel to drop it).
    if (!feed || this.feeds.size < 2) return;
    this.feeds.delete(runDir);
    this.named.delete(runDir);
    feed.dispose();
    this.updateTitle();
    this.post({ type: 'runs', runs: this.runs() });
  }

  /** Watcher tick: new records, and a new status when run.json changed. */
  private async refresh(feed: RunFeed): Promise<void> {
    if (!this.isReady || !this.feeds.has(feed.run.runDir)) return;
    const run = await describeRun(feed.run.runDir);
    // A new status, or a panel that now has something to show (eval.json written at the end).
    if (JSON.stringify(run) !== JSON.stringify(feed.run)) {
      feed.run = run;
      await this.readName(run.runDir);
      this.post({ type: 'runs', runs: this.runs() });
    }
    await this.sendRecords(feed);
    if (feed.run.runDir === this.runDirs[0]) await this.sendDynamics(false);
  }

  private sendRecords(feed: RunFeed): Promise<void> {
    return feed.read(this.postRecords(feed));
  }

  /** Posts a read's records, split so a long finished run reaches the webview in digestible pieces. */
  private postRecords(feed: RunFeed): ConsumeRecords {
    return (records, reset) => {
      const runDir = feed.run.runDir;
      if (records.length === 0) {
        this.post({ type: 'records', runDir, records, reset });
        return;
      }
      for (let i = 0; i < records.length; i += RECORDS_PER_MESSAGE) {
        const slice = records.slice(i, i + RECORDS_PER_MESSAGE);
        this.post({ type: 'records', runDir, records: slice, reset: reset && i === 0 });
      }
    };
  }

  private runs(): PanelRun[] {
    const runs = [...this.feeds.values()].map((f) => f.run);
    if (runs.length < 2) return runs;
    const shorts = shortRunNames(runs.map((run) => this.named.get(run.runDir) ?? { id: run.label }));
    return runs.map((run, i) => ({ ...run, short: shorts[i] }));
  }

  private updateTitle(): void {
    const runs = this.runs();
    this.panel.title =
      runs.length === 1
        ? vscode.l10n.t('Metrics: {0}', runs[0].label)
        : vscode.l10n.t('Metrics: {0} runs compared', runs.length);
  }

  override dispose(): void {
    MetricsPanel.open.delete(this);
    super.dispose();
  }
}

function sameRuns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((dir, i) => dir === b[i]);
}
