/**
 * The terminal view of a run: a progress bar (epoch, step, loss, samples/s,
 * ETA) from cli-progress, with log lines printed above it. Without a
 * terminal (CI logs), only the log lines are printed.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { TrainerEvent } from '../protocol/training';

const FORMAT =
  'epoch {epochShown}/{epochs} |{bar}| step {value}/{total} | loss {loss} | {rate} samples/s | ETA {eta_formatted}';

export class ProgressDisplay {
  private readonly bars = new MultiBar(
    { format: FORMAT, hideCursor: true, etaBuffer: 50, stream: process.stderr },
    Presets.shades_classic,
  );
  private bar: SingleBar | undefined;
  private readonly interactive = Boolean(process.stderr.isTTY);
  private epochs = 1;

  show(event: TrainerEvent): void {
    switch (event.type) {
      case 'started':
        this.epochs = event.epochs;
        // cli-progress draws only on a terminal; elsewhere the log lines are the progress.
        if (this.interactive)
          this.bar = this.bars.create(event.totalSteps, event.startStep, {
            epochShown: Math.floor(event.startStep / event.stepsPerEpoch) + 1,
            epochs: event.epochs,
            loss: '—',
            rate: '—',
          });
        this.print(
          `Device: ${event.device.chosen} (${event.device.message}); ${event.parameterCount} parameters.`,
        );
        break;
      case 'metrics':
        for (const record of event.records) {
          if (record.split !== 'train') continue;
          const payload: Record<string, string | number> = {
            epochShown: Math.min(Math.floor(record.epoch) + 1, this.epochs),
          };
          if (record.name === 'loss') payload.loss = record.value.toFixed(4);
          if (record.name === 'samples_per_sec') payload.rate = Math.round(record.value);
          this.bar?.update(record.step, payload);
        }
        break;
      case 'log':
        this.print(event.level === 'info' ? event.message : `${event.level}: ${event.message}`);
        break;
      case 'finished':
      case 'failed':
        this.bars.stop();
        break;
      default:
        break;
    }
  }

  print(line: string): void {
    if (this.interactive) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }
}
