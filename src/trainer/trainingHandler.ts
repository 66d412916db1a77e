/**
 * Training-process side of src/protocol/training.ts. The first `start` claims
 * the run folder (owner.json, with an endpoint windows can attach to), then
 * trains and records the run itself; `stop` from any attached window sets the
 * flag the loop polls between steps. The process outlives the window that
 * forked it: when no window is attached it trains on for a grace period (a
 * reload), then stops with a checkpoint; a window that attaches in time takes
 * over. One process trains one run; a second `start` is answered with
 * `failed`. When the run has ended and no window is attached, `exit` is called.
 */
import * as l10n from '@vscode/l10n';
import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import {
  isStartTraining,
  isStopTraining,
  type StartTraining,
  type TrainerEvent,
  type TrainingMetrics,
  type TrainingStarted,
} from '../protocol/training';
import { jsonLineSocket } from '../runs/jsonLineSocket';
import { claimRunFolder, newEndpoint, releaseRunFolder } from '../runs/runOwner';
import { readRunInfo } from '../runs/runReader';
import { RunRecorder } from '../runs/runRecorder';
import { RunWriter } from '../runs/runWriter';
import { coalesceMetrics } from './coalesceMetrics';
import { HostLinks, type HostLink } from './hostLinks';
import { trainRecorded } from './recordedTraining';
import { stepPaceFrom } from './stepPacing';
import type { TrainerDeps } from './trainerDeps';

/** How long a run trains on without a window before it stops with a checkpoint. */
export const DEFAULT_HOST_GRACE_MS = 60_000;

export class TrainingService {
  private started = false;
  private ended = false;
  private stopRequested = false;
  private stopCause: string | undefined;
  private links: HostLinks | undefined;
  private server: Server | undefined;
  /** What a window that attaches later is told first: the run's shape and where it is. */
  private lastStarted: TrainingStarted | undefined;
  private lastMetrics: TrainingMetrics | undefined;

  constructor(
    private readonly deps: TrainerDeps,
    /** The window that forked this process (its IPC channel), if any. */
    private readonly parent: HostLink | undefined,
    private readonly exit: () => void,
  ) {}

  get training(): boolean {
    return this.started && !this.ended;
  }

  /** Takes every message; says whether it was a training message. */
  handle(message: unknown): boolean {
    if (isStopTraining(message)) {
      this.stopRequested = true;
      return true;
    }
    if (!isStartTraining(message)) return false;
    if (this.started) {
      this.parent?.send({
        type: 'failed',
        error: l10n.t('This training process is already training a run; start another process.'),
      });
      return true;
    }
    this.started = true;
    void this.train(message);
    return true;
  }

  /** The forking window's channel closed (reload, crash, window closed). */
  parentGone(): void {
    if (this.parent) this.links?.detach(this.parent);
    this.exitWhenAlone();
  }

  private async train(request: StartTraining): Promise<void> {
    const graceMs = request.keepRunningWithoutHost
      ? undefined
      : (request.hostGraceMs ?? DEFAULT_HOST_GRACE_MS);
    const links = new HostLinks(graceMs, () => {
      this.stopCause = l10n.t(
        'because no Model Lab window came back within {0} s',
        Number(((graceMs ?? 0) / 1000).toFixed(1)),
      );
      this.stopRequested = true;
    });
    this.links = links;
    if (this.parent) links.attach(this.parent);
    const forward = coalesceMetrics((event: TrainerEvent) => {
      if (event.type === 'started') this.lastStarted = event;
      if (event.type === 'metrics') this.lastMetrics = event;
      links.broadcast(event);
    });
    const endpoint = newEndpoint();
    let writer: RunWriter | undefined;
    try {
      const paceSteps = stepPaceFrom(process.env);
      const info = readRunInfo(request.runDir);
      if (!info)
        throw new Error(l10n.t('{0} has no readable run.json: the run was not prepared.', request.runDir));
      claimRunFolder(request.runDir, { pid: process.pid, startedAt: new Date().toISOString(), endpoint });
      writer = RunWriter.open(request.runDir, info);
      writer.updateInfo({ pid: process.pid });
      this.server = await this.listen(endpoint, links);
      await trainRecorded(request, this.deps, new RunRecorder(writer), {
        forward,
        stopRequested: () => this.stopRequested,
        stopCause: () => this.stopCause,
        paceSteps,
      });
    } catch (error) {
      // Before training began (no pace, no run.json, the folder owned by another process, no endpoint).
      const failed = {
        type: 'failed',
        error: error instanceof Error ? error.message : String(error),
      } as const;
      if (writer) recordSafely(() => new RunRecorder(writer!).handle(failed));
      forward(failed);
    } finally {
      this.ended = true;
      releaseRunFolder(request.runDir);
      this.server?.close();
      if (process.platform !== 'win32') rmSync(endpoint, { force: true });
      this.exitWhenAlone();
    }
  }

  /** Windows attach here after a reload: each is told the run's shape and latest metrics first. */
  private listen(endpoint: string, links: HostLinks): Promise<Server> {
    const server = createServer((socket) => {
      const link = jsonLineSocket(
        socket,
        (message) => this.handle(message),
        () => {
          links.detach(link);
          this.exitWhenAlone();
        },
      );
      links.attach(
        link,
        [this.lastStarted, this.lastMetrics].filter((event) => event !== undefined),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(endpoint, () => resolve(server));
    });
  }

  /** Once the run has ended, the process goes as soon as no window listens (they disconnect on the outcome). */
  private exitWhenAlone(): void {
    if (this.ended && (this.links?.count ?? 0) === 0) this.exit();
  }
}

function recordSafely(write: () => void): void {
  try {
    write();
  } catch {
    // The folder cannot take even the failure; the window still hears of it.
  }
}
