/**
 * The inference process behind one run's panel (the playground, the CNN inside view): a
 * training process forked on first need (never the extension host), its model opened with
 * the run's best checkpoint, else the last, and opened again when the run saves a newer one,
 * so the panel follows a live run. Replies that pass the playground channel's guard go to
 * `onReply`; a missing checkpoint or a process that ended arrive there as failures.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isPlaygroundReply, type PlaygroundReply, type PlaygroundRequest } from '../../protocol/playground';
import { readCheckpointPosition } from '../../runs/checkpoints';
import { RUN_FILES } from '../../runs/runFiles';
import { Disposable, toDisposable } from '../lifecycle';
import { watchFolder } from './watchFolder';

export type ForkInference = () => ChildProcess;

export class RunInference extends Disposable {
  private child: ChildProcess | undefined;
  /** The checkpoint the model answers with, as "<kind>@<step>": a change reopens it. */
  private loaded: string | undefined;
  /** False until the panel's webview first asked for the model (nothing is forked before). */
  private started = false;

  constructor(
    private readonly runDir: string,
    private readonly fork: ForkInference,
    private readonly onReply: (reply: PlaygroundReply) => void,
  ) {
    super();
    this._register(watchFolder(join(runDir, RUN_FILES.checkpoints), () => this.followCheckpoint()));
    this._register(toDisposable(() => this.child?.kill()));
  }

  /** The webview (re)loaded: open the model again, so that it hears `playground/ready`. */
  restart(): void {
    this.started = true;
    this.loaded = undefined;
    this.followCheckpoint();
  }

  /** Relays a request the panel has checked; forks the process when there is none. */
  send(request: PlaygroundRequest): void {
    this.process().send(request);
  }

  /** (Re)opens the model when the run's newest checkpoint is not the one loaded. */
  private followCheckpoint(): void {
    if (!this.started || this.isDisposed) return;
    const best = readCheckpointPosition(this.runDir, 'best');
    const position = best ?? readCheckpointPosition(this.runDir, 'last');
    const current = position && `${best ? 'best' : 'last'}@${position.step}`;
    if (current === this.loaded) return;
    this.loaded = current;
    if (!position) {
      this.onReply({
        type: 'playground/failure',
        message: vscode.l10n.t('This run has saved no checkpoint yet: the model opens with the first one.'),
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
      if (isPlaygroundReply(reply)) this.onReply(reply);
    });
    child.on('exit', () => {
      if (this.child !== child || this.isDisposed) return;
      this.child = undefined;
      this.onReply({
        type: 'playground/failure',
        message: vscode.l10n.t("The model's process ended; it starts again with the next request."),
      });
    });
    this.child = child;
    child.send({ type: 'playground/open', runDir: this.runDir });
    return child;
  }
}
