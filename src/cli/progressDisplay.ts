/**
 * The terminal view of a run: a progress bar (epoch, step, loss, samples/s,
 * ETA) from cli-progress, with log lines printed above it. Without a
 * terminal (CI logs), only the log lines are printed.
 */
import * as l10n from '@vscode/l10n';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { TrainerEvent } from '../protocol/training';
import { durationText } from '../protocol/timeText';
import { describeEvent, trackProgress, type RunProgress } from '../runs/trainerEventText';

/** cli-progress's format: its `{name}` tokens are the bar's values, so a translation keeps every one. */
const format = (): string =>
  l10n.t(
    'epoch {epochShown}/{epochs} |{bar}| step {value}/{total} | loss {loss} | {rate} samples/s | ETA {eta_formatted}',
  );

/**
 * The bar's ETA as Model Lab writes every duration, in the CLI's language; cli-progress passes
 * 'NULL' before it knows the pace and 'INF' while it is stalled.
 */
export function barTime(seconds: number | string): string {
  const value = Number(seconds);
  return Number.isFinite(value) ? durationText(value) : '—';
}

export class ProgressDisplay {
  private readonly bars = new MultiBar(
    { format: format(), formatTime: barTime, hideCursor: true, etaBuffer: 50, stream: process.stderr },
    Presets.shades_classic,
  );
  private bar: SingleBar | undefined;
  private readonly interactive = Boolean(process.stderr.isTTY);
  private readonly progress: RunProgress = { step: 0, epoch: 0 };

  show(event: TrainerEvent): void {
    trackProgress(this.progress, event);
    switch (event.type) {
      case 'started':
        // cli-progress draws only on a terminal; elsewhere the log lines are the progress.
        if (this.interactive)
          this.bar = this.bars.create(event.totalSteps, event.startStep, {
            epochShown: this.epochShown(),
            epochs: event.epochs,
            loss: '—',
            rate: '—',
          });
        this.print(describeEvent(event)!);
        break;
      case 'metrics': {
        const { step, loss, samplesPerSec } = this.progress;
        this.bar?.update(step, {
          epochShown: this.epochShown(),
          ...(loss !== undefined && { loss: loss.toFixed(4) }),
          ...(samplesPerSec !== undefined && { rate: Math.round(samplesPerSec) }),
        });
        break;
      }
      case 'log':
        this.print(describeEvent(event)!);
        break;
      case 'finished':
      case 'failed':
        this.bars.stop();
        break;
      default:
        break;
    }
  }

  /** 1-based epoch in progress, never past the last. */
  private epochShown(): number {
    return Math.min(Math.floor(this.progress.epoch) + 1, this.progress.epochs ?? 1);
  }

  print(line: string): void {
    if (this.interactive) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }
}
