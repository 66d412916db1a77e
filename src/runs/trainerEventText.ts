/**
 * Training events for people, written once: the line each event adds to log.txt (the
 * recorder), to the editor's run log (extension/runs/activeRun.ts) and to the terminal
 * (cli/progressDisplay.ts); and the progress the status bar, the progress notification and
 * the CLI's bar show, folded from the events in one place.
 */
import type { DeviceReport } from '../contract/devices';
import type { TrainerEvent } from '../protocol/training';

/** The line an event adds to a run's log; undefined for events that are data, not news. */
export function describeEvent(event: TrainerEvent): string | undefined {
  switch (event.type) {
    case 'reading':
      if (event.done === 0) return `Reading the ${event.total} images of the data…`;
      return event.done === event.total ? `Read the ${event.total} images.` : undefined;
    case 'started':
      return (
        `Training on ${event.device.chosen} (${event.device.message}); ${event.parameterCount} parameters, ` +
        `${event.epochs} epochs × ${event.stepsPerEpoch} steps of batch ${event.batchSize}, ${event.totalSteps} steps in all` +
        (event.startStep > 0 ? `, resuming at step ${event.startStep}.` : '.')
      );
    case 'log':
      return event.level === 'info' ? event.message : `${event.level.toUpperCase()}: ${event.message}`;
    case 'checkpoint':
      return `Saved the ${event.kind} checkpoint at step ${event.step}.`;
    case 'model':
      return `Exported the trained model to ${event.path}.`;
    case 'finished':
      return event.reason;
    case 'failed':
      return `ERROR: ${event.error}`;
    default:
      return undefined;
  }
}

export interface RunProgress {
  step: number;
  totalSteps?: number;
  /** Epochs completed, fractional. */
  epoch: number;
  epochs?: number;
  loss?: number;
  samplesPerSec?: number;
  device?: DeviceReport;
  /** Before training starts: images of the data decoded so far, of all. */
  reading?: { done: number; total: number };
  /** The first and latest training records this process saw (step and seconds of training), for the ETA. */
  pace?: { fromStep: number; fromTime: number; toStep: number; toTime: number };
}

/** Folds an event into `progress`: totals and device when training starts, then the train metrics. */
export function trackProgress(progress: RunProgress, event: TrainerEvent): void {
  if (event.type === 'reading') {
    progress.reading = { done: event.done, total: event.total };
  } else if (event.type === 'started') {
    delete progress.reading;
    Object.assign(progress, {
      device: event.device,
      totalSteps: event.totalSteps,
      epochs: event.epochs,
      step: event.startStep,
      epoch: event.startStep / event.stepsPerEpoch,
    });
  } else if (event.type === 'metrics') {
    for (const record of event.records) {
      if (record.split !== 'train') continue;
      progress.step = Math.max(progress.step, record.step);
      progress.epoch = Math.max(progress.epoch, record.epoch);
      const pace = (progress.pace ??= {
        fromStep: record.step,
        fromTime: record.time,
        toStep: record.step,
        toTime: record.time,
      });
      if (record.step > pace.toStep) Object.assign(pace, { toStep: record.step, toTime: record.time });
      if (record.name === 'loss') progress.loss = record.value;
      if (record.name === 'samples_per_sec') progress.samplesPerSec = record.value;
    }
  }
}

/**
 * Seconds of training left at the pace of the steps seen so far (undefined
 * until two steps are apart or without a total): what the status bar and the
 * progress notification show as the ETA.
 */
export function etaSeconds(progress: RunProgress): number | undefined {
  const { pace, totalSteps } = progress;
  if (!pace || totalSteps === undefined || pace.toStep <= pace.fromStep) return undefined;
  const perStep = (pace.toTime - pace.fromTime) / (pace.toStep - pace.fromStep);
  return Math.max(0, (totalSteps - progress.step) * Math.max(0, perStep));
}
