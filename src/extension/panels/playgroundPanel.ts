/**
 * The playground panel of one run: draw a digit, type a prompt or fill in a table row, and the
 * run's model answers. The model runs in a training process forked for this panel (never in
 * the extension host); the panel relays checked requests to it and its replies back. While
 * the run trains, a newer checkpoint reopens the model, so the playground follows training.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isPlaygroundReply } from '../../protocol/playground';
import {
  isPlaygroundPanelRequest,
  PLAYGROUND_VIEW_TYPE,
  type HostToPlayground,
} from '../../protocol/playgroundPanel';
import { readCheckpointPosition } from '../../runs/checkpoints';
import { RUN_FILES } from '../../runs/runFiles';
import { toDisposable } from '../lifecycle';
import { createRunWebviewPanel, RunPanelHost, type RunPanelSpec } from './runPanelHost';
import { describeRun } from './runTarget';
import { watchFolder } from './watchFolder';

const SPEC: RunPanelSpec = {
  viewType: PLAYGROUND_VIEW_TYPE,
  script: 'playground.js',
  title: () => vscode.l10n.t('Playground'),
};

export type ForkInference = () => ChildProcess;

export class PlaygroundPanel extends RunPanelHost<HostToPlayground> {
  private static readonly open = new Map<string, PlaygroundPanel>();
  private child: ChildProcess | undefined;
  /** The checkpoint the model answers with, as "<kind>@<step>": a change reopens it. */
  private loaded: string | undefined;

  static show(extensionUri: vscode.Uri, runDir: string, fork: ForkInference): PlaygroundPanel {
    const existing = PlaygroundPanel.open.get(runDir);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    return PlaygroundPanel.restore(createRunWebviewPanel(extensionUri, SPEC), extensionUri, runDir, fork);
  }

  static restore(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    runDir: string,
    fork: ForkInference,
  ): PlaygroundPanel {
    return new PlaygroundPanel(panel, extensionUri, runDir, fork);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runDir: string,
    private readonly fork: ForkInference,
  ) {
    super(panel, extensionUri, SPEC);
    PlaygroundPanel.open.set(runDir, this);
    this._register(watchFolder(join(runDir, RUN_FILES.checkpoints), () => this.followCheckpoint()));
    this._register(toDisposable(() => this.child?.kill()));
  }

  protected async sendAll(): Promise<void> {
    const run = await describeRun(this.runDir);
    this.panel.title = vscode.l10n.t('Playground: {0}', run.label);
    this.post({ type: 'playground/run', run });
    this.loaded = undefined;
    this.followCheckpoint();
  }

  protected receive(message: unknown): void {
    if (isPlaygroundPanelRequest(message)) this.process().send(message);
  }

  /** (Re)opens the model when the run's newest checkpoint is not the one loaded. */
  private followCheckpoint(): void {
    if (!this.isReady) return;
    const best = readCheckpointPosition(this.runDir, 'best');
    const position = best ?? readCheckpointPosition(this.runDir, 'last');
    const current = position && `${best ? 'best' : 'last'}@${position.step}`;
    if (current === this.loaded) return;
    this.loaded = current;
    if (!position) {
      this.post({
        type: 'playground/failure',
        message: vscode.l10n.t(
          'This run has saved no checkpoint yet: the playground opens it with the first one.',
        ),
      });
      return;
    }
    if (this.alive(this.child)) this.child.send({ type: 'playground/open', runDir: this.runDir });
    else this.process();
  }

  private alive(child: ChildProcess | undefined): child is ChildProcess {
    return child !== undefined && child.exitCode === null && child.connected;
  }

  /** The inference process, forked (and its model opened) when there is none. */
  private process(): ChildProcess {
    if (this.alive(this.child)) return this.child;
    const child = this.fork();
    child.on('message', (reply: unknown) => {
      if (isPlaygroundReply(reply)) this.post(reply);
    });
    child.on('exit', () => {
      if (this.child !== child || this.isDisposed) return;
      this.child = undefined;
      this.post({
        type: 'playground/failure',
        message: vscode.l10n.t('The playground process ended; it starts again with the next request.'),
      });
    });
    this.child = child;
    child.send({ type: 'playground/open', runDir: this.runDir });
    return child;
  }

  override dispose(): void {
    if (PlaygroundPanel.open.get(this.runDir) === this) PlaygroundPanel.open.delete(this.runDir);
    super.dispose();
  }
}
