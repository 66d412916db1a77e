/**
 * One training run in progress, seen from the extension host: the line to
 * its training process (forked by this window, or attached to after a
 * reload), and the progress the status bar shows. The training process
 * records its own events in the run folder; the host writes there only when
 * the process died without an outcome. Plain Node (no `vscode`), so the
 * failure handling is tested without VS Code.
 *
 * Lifecycle: `start` is sent (or the window attaches); events update the
 * progress; on the outcome event the host lets go (the process exits once no
 * window listens). If the process dies without an outcome, the run is marked
 * failed with its last log lines. A stop is cooperative; after the grace
 * period the process is killed. A window that closes detaches: the run
 * trains on for its own grace period.
 */
import * as l10n from '@vscode/l10n';
import { isTrainerEvent, type StartTraining, type TrainerEvent } from '../../protocol/training';
import type { RunStatus } from '../../contract/runStatus';
import { readLogTail, readRunInfo } from '../../runs/runReader';
import { RunRecorder } from '../../runs/runRecorder';
import { RunWriter } from '../../runs/runWriter';
import { describeResult, trackResult, type RunResult } from '../../runs/runResultText';
import { describeEvent, trackProgress, type RunProgress } from '../../runs/trainerEventText';
import type { TrainerLink } from './trainerLink';

export interface ActiveRunListener {
  /** Progress, status or outcome changed. */
  changed(run: ActiveRun): void;
  /** A line for the run's log view (what log.txt gets, runs/trainerEventText.ts). */
  logged(run: ActiveRun, line: string): void;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'queued' | 'running' | 'interrupted'>;
  /** One sentence for a notification. */
  message: string;
  /** A completed run's result with the experiment's name, "digits-cnn finished: test accuracy 98.1 % (best at step 700)". */
  result?: string;
}

/** Lines of log.txt and of the process's stderr quoted when it dies without a word. */
const LAST_WORDS = 3;
const OUTPUT_TAIL_CHARS = 4000;

export class ActiveRun {
  readonly progress: RunProgress = { step: 0, epoch: 0 };
  private readonly result: RunResult = {};
  status: RunStatus = 'running';
  readonly done: Promise<RunOutcome>;
  private resolveDone!: (outcome: RunOutcome) => void;
  private outcome: RunOutcome | undefined;
  private stopRequested = false;
  private killTimer: NodeJS.Timeout | undefined;
  private outputTail = '';
  private detached = false;

  constructor(
    private readonly link: TrainerLink,
    readonly runDir: string,
    readonly experiment: string,
    readonly experimentFile: string,
    private readonly graceMs: number,
    private readonly listener: ActiveRunListener,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    link.onOutput((chunk) => (this.outputTail = (this.outputTail + chunk).slice(-OUTPUT_TAIL_CHARS)));
    link.onMessage((message) => {
      if (isTrainerEvent(message)) this.handle(message);
    });
    link.onEnded((how) => this.processEnded(how));
  }

  get pid(): number | undefined {
    return this.link.pid;
  }

  send(message: StartTraining): void {
    this.link.send(message);
  }

  /**
   * The window goes (reload, close): the process trains on without it and
   * another window may attach; nothing is stopped or marked here.
   */
  detach(): void {
    this.detached = true;
    clearTimeout(this.killTimer);
    this.link.detach();
  }

  /** Asks the process to stop after its current step; kills it if it has not ended after the grace period. */
  stop(): void {
    if (this.outcome || this.stopRequested) return;
    this.stopRequested = true;
    this.link.send({ type: 'stop' });
    this.killAfterGrace();
  }

  /** Events are on disk already (the training process records them); here they only update what the window shows. */
  private handle(event: TrainerEvent): void {
    if (this.outcome) return;
    trackProgress(this.progress, event);
    trackResult(this.result, event);
    const line = describeEvent(event);
    if (line) this.listener.logged(this, line);
    if (event.type === 'finished') {
      const result = event.status === 'completed' ? describeResult(this.experiment, this.result) : undefined;
      this.settle({ status: event.status, message: event.reason, ...(result ? { result } : {}) });
    } else if (event.type === 'failed') {
      this.settle({ status: 'failed', message: event.error });
    }
    if (this.outcome) {
      this.link.detach();
      this.killAfterGrace();
    }
    this.listener.changed(this);
  }

  private processEnded(how: string): void {
    clearTimeout(this.killTimer);
    if (this.detached) return;
    if (!this.outcome) {
      const outcome: RunOutcome = this.stopRequested
        ? { status: 'stopped', message: l10n.t('Training stopped (the process {0}).', how) }
        : {
            status: 'failed',
            message: l10n.t('The training process {0} before the run ended.', how) + this.lastWords(),
          };
      this.recordSafely(() => {
        // The process is gone, and with it the folder's owner: the window writes the ending, on what it wrote last.
        const recorder = new RunRecorder(RunWriter.open(this.runDir, readRunInfo(this.runDir)!));
        if (outcome.status === 'failed') {
          recorder.fail(outcome.message, this.outputTail.trim() || undefined);
          return;
        }
        recorder.writer.appendLog(
          l10n.t('The training process did not stop within {0} s and {1}.', this.graceMs / 1000, how),
        );
        recorder.writer.updateInfo({ status: 'stopped', endedAt: new Date().toISOString() });
      });
      this.settle(outcome);
      this.listener.logged(this, outcome.message);
      this.listener.changed(this);
    }
    // Resolve only once the process is gone, so callers may reuse or delete the folder.
    this.resolveDone(this.outcome as RunOutcome);
  }

  /** " Last log lines: ... | ...", from log.txt and the process's own output. */
  private lastWords(): string {
    const logLines = readLogTail(this.runDir, LAST_WORDS).map((line) => line.replace(/^\S+ /, ''));
    const outputLines = this.outputTail.trim().split('\n').filter(Boolean).slice(-LAST_WORDS);
    const lines = [...logLines, ...outputLines];
    return lines.length > 0 ? ' ' + l10n.t('Last log lines: {0}', lines.join(' | ')) : '';
  }

  private settle(outcome: RunOutcome): void {
    this.outcome ??= outcome;
    this.status = this.outcome.status;
  }

  private killAfterGrace(): void {
    clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => this.link.kill(), this.graceMs);
  }

  /** A failure to record the failure itself must not throw out of a process event handler. */
  private recordSafely(write: () => void): void {
    try {
      write();
    } catch {
      // Already reported through the outcome; nothing more can be written.
    }
  }
}
