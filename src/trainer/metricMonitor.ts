/**
 * Watches one validation metric for the best checkpoint and early stopping:
 * remembers the best value and counts validations in a row without improvement.
 */
import { metricInfo } from '../contract/metrics';

export type MonitorMode = 'min' | 'max';

export interface MonitorState {
  best?: { value: number; step: number };
  validationsWithoutImprovement: number;
}

/** 'max' for metrics that get better as they grow (contract/metrics.ts); others, unknown ones included, shrink. */
export function defaultMode(metricName: string): MonitorMode {
  return metricInfo(metricName)?.better === 'higher' ? 'max' : 'min';
}

/** 'validation/loss' and 'loss' both name the validation loss. */
export function monitoredMetricName(metric: string): string {
  return metric.includes('/') ? metric.slice(metric.indexOf('/') + 1) : metric;
}

export class MetricMonitor {
  private current: MonitorState;

  constructor(
    readonly mode: MonitorMode,
    /** Validations without improvement after which to stop; undefined: never stop. */
    readonly patience: number | undefined,
    initial: MonitorState = { validationsWithoutImprovement: 0 },
  ) {
    this.current = { ...initial };
  }

  /** Continues from a resumed checkpoint's record. */
  restore(state: MonitorState): void {
    this.current = { ...state };
  }

  get state(): MonitorState {
    return this.current;
  }

  /** Records one validation value; says whether it is the best so far and whether to stop now. */
  observe(value: number, step: number): { improved: boolean; shouldStop: boolean } {
    const best = this.current.best?.value;
    const improved = best === undefined || (this.mode === 'min' ? value < best : value > best);
    this.current = improved
      ? { best: { value, step }, validationsWithoutImprovement: 0 }
      : { ...this.current, validationsWithoutImprovement: this.current.validationsWithoutImprovement + 1 };
    const shouldStop =
      this.patience !== undefined && this.current.validationsWithoutImprovement >= this.patience;
    return { improved, shouldStop };
  }
}
