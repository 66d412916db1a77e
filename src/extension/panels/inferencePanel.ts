/**
 * A run panel whose webview talks to the run's model (the playground, the CNN inside view):
 * one panel per run and kind, revealed when asked for again; requests the spec accepts go to
 * the run's inference process (runInference.ts), the replies it relays come back. What differs
 * between the panels is their spec: script, titles, the run message, what passes each way.
 */
import * as vscode from 'vscode';
import type { PanelRun } from '../../protocol/panelRuns';
import type { PlaygroundReply, PlaygroundRequest } from '../../protocol/playground';
import { RunInference, type ForkInference } from './runInference';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from './runPanelHost';
import { describeRun } from './runTarget';

export interface InferencePanelSpec<ToWebview> extends RunPanelSpec {
  /** The tab title once the run is known. */
  runTitle(label: string): string;
  /** The message that tells the webview which run it shows. */
  runMessage(run: PanelRun): ToWebview;
  /** The inference process's replies this webview gets. */
  relays(reply: PlaygroundReply): reply is PlaygroundReply & ToWebview;
  /** The webview's requests the process gets (opening a run is never one: the host does that). */
  accepts(message: unknown): message is PlaygroundRequest;
}

export class InferencePanel<ToWebview> extends RunPanelHost<ToWebview> {
  /** Open panels by view type and run folder (each holds its own message type). */
  private static readonly open = new Map<string, unknown>();
  private readonly inference: RunInference;

  static show<T>(
    spec: InferencePanelSpec<T>,
    extensionUri: vscode.Uri,
    runDir: string,
    fork: ForkInference,
  ): InferencePanel<T> {
    const existing = InferencePanel.open.get(InferencePanel.key(spec, runDir)) as
      InferencePanel<T> | undefined;
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return new InferencePanel(spec, createRunWebviewPanel(extensionUri, spec), extensionUri, runDir, fork);
  }

  /** The panel VS Code hands back after a window reload. */
  static restore<T>(
    spec: InferencePanelSpec<T>,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    runDir: string,
    fork: ForkInference,
  ): InferencePanel<T> {
    return new InferencePanel(spec, panel, extensionUri, runDir, fork);
  }

  private static key(spec: RunPanelSpec, runDir: string): string {
    return `${spec.viewType}\n${runDir}`;
  }

  private constructor(
    private readonly spec: InferencePanelSpec<ToWebview>,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runDir: string,
    fork: ForkInference,
  ) {
    super(panel, extensionUri, spec);
    InferencePanel.open.set(InferencePanel.key(spec, runDir), this);
    this.inference = this._register(
      new RunInference(runDir, fork, (reply) => {
        if (spec.relays(reply)) this.post(reply);
      }),
    );
  }

  protected async sendAll(): Promise<void> {
    const run = await describeRun(this.runDir);
    this.panel.title = this.spec.runTitle(run.label);
    this.post(this.spec.runMessage(run));
    this.inference.restart();
  }

  protected receive(message: unknown): void {
    if (this.spec.accepts(message)) this.inference.send(message);
  }

  override dispose(): void {
    const key = InferencePanel.key(this.spec, this.runDir);
    if (InferencePanel.open.get(key) === this) InferencePanel.open.delete(key);
    super.dispose();
  }
}
