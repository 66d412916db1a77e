/**
 * Turns training events into run-folder writes. One recorder per run, used by
 * the extension host (events arrive over IPC) and by the CLI (in-process), so
 * both leave identical folders.
 */
import type { TrainerEvent } from '../protocol/training';
import type { RunWriter } from './runWriter';

/** run.json's summary is rewritten at most this often while metrics stream (each write is a rename). */
const INFO_REFRESH_MS = 1000;

export class RunRecorder {
  private lastInfoWrite = 0;

  constructor(
    readonly writer: RunWriter,
    private readonly now: () => number = Date.now,
  ) {}

  handle(event: TrainerEvent): void {
    const writer = this.writer;
    switch (event.type) {
      case 'started':
        writer.updateInfo({ device: event.device, step: event.startStep });
        writer.appendLog(
          `Training on ${event.device.chosen} (${event.device.message}); ${event.parameterCount} parameters, ` +
            `${event.epochs} epochs × ${event.stepsPerEpoch} steps of batch ${event.batchSize}, ${event.totalSteps} steps in all` +
            (event.startStep > 0 ? `, resuming at step ${event.startStep}.` : '.'),
        );
        break;
      case 'metrics':
        writer.appendMetrics(event.records);
        if (this.now() - this.lastInfoWrite >= INFO_REFRESH_MS) {
          this.lastInfoWrite = this.now();
          writer.updateInfo({});
        }
        break;
      case 'log':
        writer.appendLog(
          event.level === 'info' ? event.message : `${event.level.toUpperCase()}: ${event.message}`,
        );
        break;
      case 'attention':
        writer.writeAttention(event.snapshot);
        break;
      case 'checkpoint':
        writer.appendLog(`Saved the ${event.kind} checkpoint at step ${event.step}.`);
        break;
      case 'eval':
        writer.writeEval(event.report);
        break;
      case 'model':
        writer.appendLog(`Exported the trained model to ${event.path}.`);
        break;
      case 'finished':
        writer.appendLog(event.reason);
        writer.updateInfo({ status: event.status, endedAt: new Date(this.now()).toISOString() });
        break;
      case 'failed':
        this.fail(event.error, event.detail);
        break;
    }
  }

  /** Marks the run failed (also used by the host when the process dies without a word). */
  fail(error: string, detail?: string): void {
    this.writer.appendLog(`ERROR: ${error}${detail ? `\n${detail}` : ''}`);
    this.writer.updateInfo({ status: 'failed', error, endedAt: new Date(this.now()).toISOString() });
  }
}
