/**
 * Runs a sweep's trials `parallel` at a time, in trial order. Cancel stops
 * the trials that are training (each stops cleanly with a checkpoint) and
 * starts no more: the rest stay queued for the next run of the sweep. Plain
 * logic over a `launch` function, so the CLI (child processes) and the
 * editor (forked training processes) share it.
 */
import type { RunStatus } from '../../contract/runStatus';

export interface LaunchedTrial {
  /** Settles with the trial's final status when its process has ended. */
  done: Promise<RunStatus>;
  /** Asks the trial to stop after its current step. */
  stop(): void;
}

export interface TrialOutcome<T> {
  item: T;
  status: RunStatus;
}

export class SweepScheduler<T> {
  private cancelled = false;
  private readonly running = new Set<LaunchedTrial>();

  constructor(
    private readonly items: readonly T[],
    private readonly parallel: number,
    /** Starts one trial; a throw counts as a failed trial. */
    private readonly launch: (item: T) => Promise<LaunchedTrial>,
  ) {}

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Every trial's outcome, in trial order; trials never started (cancelled) are left out. */
  async run(onEnded?: (outcome: TrialOutcome<T>) => void): Promise<TrialOutcome<T>[]> {
    const outcomes = new Map<number, TrialOutcome<T>>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!this.cancelled && next < this.items.length) {
        const index = next++;
        const item = this.items[index];
        const status = await this.runOne(item);
        const outcome = { item, status };
        outcomes.set(index, outcome);
        onEnded?.(outcome);
      }
    };
    const workers = Math.max(1, Math.min(this.parallel, this.items.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return [...outcomes.keys()].sort((a, b) => a - b).map((index) => outcomes.get(index)!);
  }

  /** Stops the trials that are training and starts no more. */
  cancel(): void {
    this.cancelled = true;
    for (const trial of this.running) trial.stop();
  }

  private async runOne(item: T): Promise<RunStatus> {
    let launched: LaunchedTrial;
    try {
      launched = await this.launch(item);
    } catch {
      return 'failed';
    }
    this.running.add(launched);
    // Cancelled while it was starting: it stops at its first step.
    if (this.cancelled) launched.stop();
    try {
      return await launched.done;
    } catch {
      return 'failed';
    } finally {
      this.running.delete(launched);
    }
  }
}
