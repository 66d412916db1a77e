/**
 * The runs table panel: every run of the workspace and of `modelLab.runFolders` with its
 * settings and results. Rows are read by RunTableReader; after the first full list the
 * webview gets only the rows that changed. Actions from the webview are checked against
 * the folders the table lists, then handed to the commands the Runs view uses.
 */
import * as vscode from 'vscode';
import type { RunRow } from '../../contract/runTable/runRow';
import {
  isAnnotateMessage,
  isCompareMessage,
  isDeleteMessage,
  isDiffConfigsMessage,
  isOpenPanelMessage,
  isRevealMessage,
  isSaveLayoutMessage,
  RUNS_TABLE_VIEW_TYPE,
  type HostToRunsTable,
  type RunPanelKind,
  type RunsTableLayout,
} from '../../protocol/runsTablePanel';
import { saveRunAnnotations } from '../../runs/runAnnotations';
import { RunTableReader } from '../../runs/table/runTableReader';
import type { IDisposable } from '../lifecycle';
import { PANEL_COMMANDS } from '../panels/panelCommandIds';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from '../panels/runPanelHost';
import { RUN_COMMANDS } from '../runs/runCommands';
import { diffRunConfigs } from './configDiff';
import { RowChangeTracker } from './rowChanges';

const SPEC: RunPanelSpec = {
  viewType: RUNS_TABLE_VIEW_TYPE,
  script: 'runsTable.js',
  title: () => vscode.l10n.t('Runs Table'),
  styles: ['runsTable.css'],
};

const PANEL_COMMAND: Record<RunPanelKind, string> = {
  metrics: PANEL_COMMANDS.openMetrics,
  evaluation: PANEL_COMMANDS.openEvaluation,
  attention: PANEL_COMMANDS.openAttention,
};

/** How often a visible table reads the folders again, besides on file events. */
const RESCAN_MS = 10_000;

export interface RunsTableSources {
  /** The runs folders to list (workspace and configured). */
  runsDirs: () => string[];
  /** Fires when runs appear, change or go (the Runs view's refresh). */
  onDidChangeRuns: (listener: () => void) => IDisposable;
  /** The sort and columns last chosen in this workspace, kept when the table closes. */
  layout: { get(): RunsTableLayout | undefined; save(layout: RunsTableLayout): void };
}

export class RunsTablePanel extends RunPanelHost<HostToRunsTable> {
  private static current: RunsTablePanel | undefined;
  private readonly reader = new RunTableReader();
  private readonly tracker = new RowChangeTracker();
  private rows = new Map<string, RunRow>();
  /** Reads run one at a time (the reader's tails are stateful); a change during one asks for another. */
  private reading: Promise<void> = Promise.resolve();
  private readAgain = false;

  static show(extensionUri: vscode.Uri, sources: RunsTableSources): RunsTablePanel {
    if (RunsTablePanel.current) {
      RunsTablePanel.current.panel.reveal();
      return RunsTablePanel.current;
    }
    return RunsTablePanel.restore(createRunWebviewPanel(extensionUri, SPEC), extensionUri, sources);
  }

  static restore(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    sources: RunsTableSources,
  ): RunsTablePanel {
    RunsTablePanel.current?.dispose();
    return new RunsTablePanel(panel, extensionUri, sources);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly sources: RunsTableSources,
  ) {
    super(panel, extensionUri, SPEC);
    RunsTablePanel.current = this;
    this._register(sources.onDidChangeRuns(() => this.update(false)));
    // File events can be late or never come (a synced or network folder, a folder created and
    // filled at once by another process); while the table is in sight it also reads again now and
    // then. Metrics tails make a read after the first one cheap, and only changed rows are posted.
    const poll = setInterval(() => {
      if (this.panel.visible) void this.update(false);
    }, RESCAN_MS);
    this._register({ dispose: () => clearInterval(poll) });
  }

  protected sendAll(): Promise<void> {
    const layout = this.sources.layout.get();
    if (layout) this.post({ type: 'layout', layout });
    return this.update(true);
  }

  /** Re-reads the folders and posts every row (`all`) or what changed. */
  private update(all: boolean): Promise<void> {
    if (!this.isReady) return this.reading;
    if (!all) {
      if (this.readAgain) return this.reading;
      this.readAgain = true;
    }
    this.reading = this.reading.then(async () => {
      if (!all) this.readAgain = false;
      const rows = await this.reader.read(this.sources.runsDirs());
      this.rows = new Map(rows.map((row) => [row.runDir, row]));
      if (all) {
        this.post({ type: 'allRows', rows: this.tracker.all(rows) });
        return;
      }
      const { changed, removed } = this.tracker.changes(rows);
      if (changed.length > 0 || removed.length > 0) this.post({ type: 'rowChanges', changed, removed });
    });
    return this.reading;
  }

  /** The listed row of a folder named by the webview; anything else is refused. */
  private listed(runDir: string): RunRow {
    const row = this.tracker.has(runDir) ? this.rows.get(runDir) : undefined;
    if (!row) throw new Error(vscode.l10n.t('The runs table does not list {0}.', runDir));
    return row;
  }

  protected async receive(message: unknown): Promise<void> {
    if (isSaveLayoutMessage(message)) {
      this.sources.layout.save(message.layout);
    } else if (isAnnotateMessage(message)) {
      this.listed(message.runDir);
      const { name, tags, notes } = message;
      saveRunAnnotations(message.runDir, {
        ...(name !== undefined && { name }),
        ...(tags !== undefined && { tags }),
        ...(notes !== undefined && { notes }),
      });
      await this.update(false);
    } else if (isOpenPanelMessage(message)) {
      this.listed(message.runDir);
      await vscode.commands.executeCommand(PANEL_COMMAND[message.panel], { runDir: message.runDir });
    } else if (isCompareMessage(message)) {
      message.runDirs.forEach((runDir) => this.listed(runDir));
      await vscode.commands.executeCommand(PANEL_COMMANDS.compareRuns, { runDirs: message.runDirs });
    } else if (isRevealMessage(message)) {
      this.listed(message.runDir);
      await vscode.commands.executeCommand(RUN_COMMANDS.revealRun, { runDir: message.runDir });
    } else if (isDeleteMessage(message)) {
      message.runDirs.forEach((runDir) => this.listed(runDir));
      const targets = message.runDirs.map((runDir) => ({ runDir }));
      // The Runs view's Delete: a modal confirmation, and running runs refused.
      await vscode.commands.executeCommand(RUN_COMMANDS.deleteRun, targets[0], targets);
      await this.update(false);
    } else if (isDiffConfigsMessage(message)) {
      const [left, right] = message.runDirs.map((runDir) => this.listed(runDir));
      await diffRunConfigs(left, right);
    }
  }

  override dispose(): void {
    if (RunsTablePanel.current === this) RunsTablePanel.current = undefined;
    super.dispose();
  }
}
