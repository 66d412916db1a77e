/**
 * Training dynamics as extra outputs of the train-step graph. The gradients, clipped
 * gradients and updates are values the step computes anyway: their norms are a few
 * reductions inside the graph, and the raw gradients leave it as outputs, so nothing is run
 * a second time (no extra forward or backward pass). Percentiles of the weights (the step's
 * new state) and of those gradients are order statistics picked in JavaScript
 * (runtime/orderStatistics.ts): onnxruntime's TopK sorts, several times slower. Only the
 * graph of a recorded step carries these outputs (trainableModel.ts runs it every
 * `everySteps`); the other steps run the plain graphs.
 *
 * Outputs, one entry per parameter tensor in store order:
 *   dynamics_grad_norms [P], dynamics_clipped_grad_norms [P],
 *   dynamics_weight_norms [P] (before the step), dynamics_update_norms [P],
 *   dynamics_grad_<i>: the gradient of parameter i, before clipping.
 */
import { DYNAMICS_PERCENTILES, percentileIndex, type StepDynamics } from '../../contract/dynamicsRecord';
import type { GraphBuilder, Value } from '../graph/builder';
import { orderStatistics } from '../runtime/orderStatistics';

/** The values of one step that the dynamics read. */
export interface StepValues {
  params: Value[];
  grads: Value[];
  /** The clipping factor all gradients were scaled by (absent without clipping). */
  clipScale?: Value;
  newParams: Value[];
}

const OUTPUTS = {
  gradNorms: 'dynamics_grad_norms',
  clippedGradNorms: 'dynamics_clipped_grad_norms',
  weightNorms: 'dynamics_weight_norms',
  updateNorms: 'dynamics_update_norms',
} as const;

const gradOutput = (i: number) => `dynamics_grad_${i}`;

/** ‖v‖₂ of each tensor as one [P] vector. */
function norms(b: GraphBuilder, values: Value[]): Value {
  const each = values.map((v) =>
    b.reshape(b.unary('Sqrt', b.op('ReduceSumSquare', [v], { keepdims: 0 })[0]), [1]),
  );
  return each.length === 1 ? each[0] : b.op('Concat', each, { axis: 0 })[0];
}

/** Adds the dynamics outputs of one step to `b` (a top-level train-step graph). */
export function outputDynamics(b: GraphBuilder, step: StepValues): void {
  const updates = step.newParams.map((p, i) => b.sub(p, step.params[i]));
  const gradNorms = norms(b, step.grads);
  b.output(gradNorms, OUTPUTS.gradNorms);
  // ‖s·g‖ = s‖g‖: clipping scales every gradient by the same s ≥ 0.
  const clipped = step.clipScale ? b.mul(gradNorms, step.clipScale) : norms(b, step.grads);
  b.output(clipped, OUTPUTS.clippedGradNorms);
  b.output(norms(b, step.params), OUTPUTS.weightNorms);
  b.output(norms(b, updates), OUTPUTS.updateNorms);
  step.grads.forEach((g, i) => b.output(g, gradOutput(i)));
}

/** The DYNAMICS_PERCENTILES of `values`. */
export function percentilesOf(values: Float32Array): number[] {
  return orderStatistics(
    values,
    DYNAMICS_PERCENTILES.map((level) => percentileIndex(level, values.length)),
  );
}

/**
 * Reads the outputs of outputDynamics back, with `weights` the parameters after the step (in
 * the same order); global norms combine the per-tensor ones in float64.
 */
export function readDynamics(
  names: string[],
  outputs: Record<string, { data: unknown }>,
  weights: Float32Array[],
): StepDynamics {
  const read = (name: string) => Array.from(outputs[name].data as Float32Array);
  const [gradNorms, clippedGradNorms, weightNorms, updateNorms] = [
    OUTPUTS.gradNorms,
    OUTPUTS.clippedGradNorms,
    OUTPUTS.weightNorms,
    OUTPUTS.updateNorms,
  ].map(read);
  const global = (each: number[]) => Math.sqrt(each.reduce((sum, n) => sum + n * n, 0));
  return {
    gradNorm: global(gradNorms),
    clippedGradNorm: global(clippedGradNorms),
    params: names.map((name, i) => ({
      name,
      gradNorm: gradNorms[i],
      clippedGradNorm: clippedGradNorms[i],
      weightNorm: weightNorms[i],
      updateNorm: updateNorms[i],
      weights: percentilesOf(weights[i]),
      grads: percentilesOf(outputs[gradOutput(i)].data as Float32Array),
    })),
  };
}
