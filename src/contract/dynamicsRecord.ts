/**
 * Training dynamics: how gradients and weights moved at one optimizer step. One record is a
 * line of the run folder's `dynamics.jsonl` and the payload of a `dynamics` trainer event.
 * The engine computes every figure inside the train-step graph of that step (no extra
 * forward or backward pass); the trainer records one every `training.dynamics.everySteps`.
 */
import { isFiniteNumber, isRecord, isString } from './guards';

/**
 * The percentile levels (in percent) of every `weights` and `grads` array: TensorBoard's
 * distribution bands (its compressed-histogram basis points): minimum, the ±0.5σ, ±1σ and
 * ±1.5σ points of a normal distribution, the median and the maximum.
 */
export const DYNAMICS_PERCENTILES = [0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100] as const;

/** The index of percentile `level` in `n` ascending values (nearest rank). */
export const percentileIndex = (level: number, n: number): number => Math.round((level / 100) * (n - 1));

/** One parameter tensor (e.g. `layer0.conv2d.weight`) at the recorded step. */
export interface ParamDynamics {
  name: string;
  /** ‖g‖₂ of this tensor's gradient, before clipping. */
  gradNorm: number;
  /** ‖g‖₂ after clipping by global norm (equal to gradNorm when the run does not clip). */
  clippedGradNorm: number;
  /** ‖p‖₂ before the step. */
  weightNorm: number;
  /** ‖Δp‖₂: how far the optimizer moved the tensor in this step. */
  updateNorm: number;
  /** Values of the tensor after the step at DYNAMICS_PERCENTILES, ascending. */
  weights: number[];
  /** Gradient values (before clipping) at DYNAMICS_PERCENTILES, ascending. */
  grads: number[];
}

/** What the engine measures in one step. */
export interface StepDynamics {
  /** ‖g‖₂ over all parameters, before clipping. */
  gradNorm: number;
  /** The same after clipping (equal to gradNorm when the run does not clip). */
  clippedGradNorm: number;
  params: ParamDynamics[];
}

export interface DynamicsRecord extends StepDynamics {
  /** Optimizer steps done, this one included (the step's loss has the same `step` in metrics.jsonl). */
  step: number;
  epoch: number;
  /** Seconds since the run started. */
  time: number;
}

/** ‖Δp‖ / ‖p‖, the usual "is the learning rate sane" figure (about 1e-3); undefined for a zero tensor. */
export function updateRatio(param: ParamDynamics): number | undefined {
  return param.weightNorm > 0 ? param.updateNorm / param.weightNorm : undefined;
}

const isBands = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length === DYNAMICS_PERCENTILES.length && value.every(isFiniteNumber);

function isParamDynamics(value: unknown): value is ParamDynamics {
  return (
    isRecord(value) &&
    isString(value.name) &&
    ['gradNorm', 'clippedGradNorm', 'weightNorm', 'updateNorm'].every((key) => isFiniteNumber(value[key])) &&
    isBands(value.weights) &&
    isBands(value.grads)
  );
}

/** A well-formed record; files may be truncated or edited by hand, so every field is checked. */
export function isDynamicsRecord(value: unknown): value is DynamicsRecord {
  return (
    isRecord(value) &&
    ['step', 'epoch', 'time', 'gradNorm', 'clippedGradNorm'].every((key) => isFiniteNumber(value[key])) &&
    Array.isArray(value.params) &&
    value.params.every(isParamDynamics)
  );
}

/** Every figure finite: JSON lines and IPC cannot carry NaN or infinities. */
export function isFiniteDynamics(dynamics: StepDynamics): boolean {
  return isDynamicsRecord({ ...dynamics, step: 0, epoch: 0, time: 0 });
}
