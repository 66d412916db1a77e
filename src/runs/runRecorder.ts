/**
 * Turns training events into run-folder writes. One recorder per run, used by
 * the extension host (events arrive over IPC) and by the CLI (in-process), so
 * both leave identical folders.
 */
import type { TrainerEvent } from '../protocol/training';
import type { RunWriter } from './runWriter';
import { describeEvent } from './trainerEventText';

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
        break;
      case 'metrics':
        writer.appendMetrics(event.records);
        if (this.now() - this.lastInfoWrite >= INFO_REFRESH_MS) {
          this.lastInfoWrite = this.now();
          writer.updateInfo({});
        }
        break;
      case 'attention':
        writer.writeAttention(event.snapshot);
        break;
      case 'dynamics':
        writer.appendDynamics(event.record);
        break;
      case 'eval':
        writer.writeEval(event.report);
        break;
      case 'finished':
        writer.appendLog(describeEvent(event)!);
        writer.updateInfo({ status: event.status, endedAt: new Date(this.now()).toISOString() });
        return;
      case 'failed':
        this.fail(event.error, event.detail);
        return;
    }
    const line = describeEvent(event);
    if (line !== undefined) writer.appendLog(line);
  }

  /** Marks the run failed (also used by the host when the process dies without a word). */
  fail(error: string, detail?: string): void {
    this.writer.appendLog(`${describeEvent({ type: 'failed', error })}${detail ? `\n${detail}` : ''}`);
    this.writer.updateInfo({ status: 'failed', error, endedAt: new Date(this.now()).toISOString() });
  }
}
