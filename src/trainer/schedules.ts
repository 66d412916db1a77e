/**
 * Learning-rate schedules. They live outside the engine's graph: the trainer
 * computes one rate per step and feeds it with the batch.
 */
import type { ScheduleConfig } from '../contract/experiment';

/** Default warm-up for 'warmup-cosine' without `warmupSteps`: 5 % of the run. */
const DEFAULT_WARMUP_FRACTION = 0.05;

/**
 * Rate for optimizer step `step` (0-based) of a run of `totalSteps` steps.
 * - constant: the base rate (after an optional linear warm-up).
 * - step: base · gamma^⌊step / stepSize⌋ (defaults: gamma 0.1, a third of the run).
 * - cosine: decays from base to base · minFactor along half a cosine.
 * - warmup-cosine: linear warm-up, then cosine over the remaining steps.
 */
export function learningRateAt(
  baseRate: number,
  schedule: ScheduleConfig | undefined,
  step: number,
  totalSteps: number,
): number {
  const type = schedule?.type ?? 'constant';
  const warmup =
    schedule?.warmupSteps ??
    (type === 'warmup-cosine' ? Math.max(1, Math.round(totalSteps * DEFAULT_WARMUP_FRACTION)) : 0);
  if (step < warmup) return (baseRate * (step + 1)) / warmup;
  switch (type) {
    case 'constant':
      return baseRate;
    case 'step': {
      const stepSize = schedule?.stepSize ?? Math.max(1, Math.floor(totalSteps / 3));
      return baseRate * (schedule?.gamma ?? 0.1) ** Math.floor(step / stepSize);
    }
    case 'cosine':
    case 'warmup-cosine': {
      const floor = baseRate * (schedule?.minFactor ?? 0);
      const span = Math.max(1, totalSteps - warmup);
      const progress = Math.min(1, (step - warmup) / span);
      return floor + (baseRate - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }
}
