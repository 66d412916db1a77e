/**
 * Optimizers and gradient clipping as graph ops, following PyTorch's update rules so runs
 * can be cross-checked against it. The learning rate and the step count t (1-based, after
 * this update) are graph values, so schedules live outside the graph.
 *
 *   SGD:   g ← g + λp;  v ← μv + g;  p ← p − lr·v            (plain p − lr·g when μ = 0)
 *   Adam:  g ← g + λp;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
 *          p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 *   AdamW: p ← p·(1 − lr·λ), then the Adam step without the λp term.
 */
import type { OptimizerConfig } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';

export const ADAM_EPSILON = 1e-8;

export interface SlotSpec {
  /** e.g. 'layer0.dense.weight.m' */
  name: string;
  shape: number[];
}

/** The optimizer's state kinds, in the order `makeUpdate` takes and returns them. */
export function slotKinds(config: OptimizerConfig): string[] {
  if (config.type === 'sgd') return (config.momentum ?? 0) > 0 ? ['velocity'] : [];
  return ['m', 'v'];
}

/** Optimizer state tensors (zeros at start) for one parameter, as checkpoints name them. */
export function slotsFor(config: OptimizerConfig, param: string, shape: number[]): SlotSpec[] {
  return slotKinds(config).map((kind) => ({ name: `${param}.${kind}`, shape }));
}

export interface UpdateInputs {
  param: Value;
  grad: Value;
  /**
   * A scalar factor of the gradient (global-norm clipping, `clipScale`). Adam and AdamW fold it
   * into their own scalars instead of a pass over every gradient element.
   */
  gradScale?: Value;
  slots: Value[];
}

export interface UpdateResult {
  param: Value;
  slots: Value[];
}

export function validateOptimizer(config: OptimizerConfig): void {
  if (!['sgd', 'adam', 'adamw'].includes(config.type))
    throw new Error(`unknown optimizer ${String(config.type)}`);
  const [b1, b2] = config.betas ?? [0.9, 0.999];
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) throw new Error('betas must lie in [0, 1)');
  if ((config.momentum ?? 0) < 0) throw new Error('momentum must be ≥ 0');
}

/**
 * The update rule of `config` for one step. Scalars shared by all parameters (bias
 * corrections, the AdamW decay factor, the clipping factor) are built once, here, not once per
 * parameter, and folded together where the rule allows, so each pass over the parameters does
 * one element-wise op. Adam's step, with clipping factor s and c₂ = √(1−β₂ᵗ):
 *   m ← β₁m + (s(1−β₁))·g;  v ← β₂v + (s²(1−β₂))·g²;  p ← p − (lr·c₂/(1−β₁ᵗ)) · m / (√v + ε·c₂)
 * (the same p as dividing √v by c₂ first, one pass fewer).
 */
export function makeUpdate(
  b: GraphBuilder,
  config: OptimizerConfig,
  lr: Value,
  t: Value,
): (u: UpdateInputs) => UpdateResult {
  const s = (x: number) => b.scalar(x);
  const decay = config.weightDecay ?? 0;
  const coupledDecay = decay > 0 && config.type !== 'adamw';
  const scaled = (u: UpdateInputs) => (u.gradScale ? b.mul(u.grad, u.gradScale) : u.grad);
  const withDecay = (u: UpdateInputs) =>
    coupledDecay ? b.add(scaled(u), b.mul(u.param, s(decay))) : scaled(u);
  if (config.type === 'sgd') {
    const momentum = config.momentum ?? 0;
    return (u) => {
      const grad = withDecay(u);
      if (momentum === 0) return { param: b.sub(u.param, b.mul(grad, lr)), slots: [] };
      const velocity = b.add(b.mul(u.slots[0], s(momentum)), grad);
      return { param: b.sub(u.param, b.mul(velocity, lr)), slots: [velocity] };
    };
  }
  const [beta1, beta2] = config.betas ?? [0.9, 0.999];
  const sqrtCorrection2 = b.unary('Sqrt', b.sub(s(1), b.op('Pow', [s(beta2), t])[0]));
  const step = b.mul(b.div(lr, b.sub(s(1), b.op('Pow', [s(beta1), t])[0])), sqrtCorrection2);
  const epsilon = b.mul(s(ADAM_EPSILON), sqrtCorrection2);
  const shrink = config.type === 'adamw' && decay > 0 ? b.sub(s(1), b.mul(lr, s(decay))) : undefined;
  return (u) => {
    // With coupled decay the clipped gradient is summed with λp first: no factor to fold.
    const factor = coupledDecay ? undefined : u.gradScale;
    const grad = coupledDecay ? withDecay(u) : u.grad;
    const k1 = factor ? b.mul(factor, s(1 - beta1)) : s(1 - beta1);
    const k2 = factor ? b.mul(b.mul(factor, factor), s(1 - beta2)) : s(1 - beta2);
    const m = b.add(b.mul(u.slots[0], s(beta1)), b.mul(grad, k1));
    const v = b.add(b.mul(u.slots[1], s(beta2)), b.mul(b.mul(grad, grad), k2));
    const denom = b.add(b.unary('Sqrt', v), epsilon);
    const param = shrink ? b.mul(u.param, shrink) : u.param;
    return { param: b.sub(param, b.mul(b.div(m, denom), step)), slots: [m, v] };
  };
}

/**
 * PyTorch's clip_grad_norm_ factor for the gradients (all parameters' as one flat vector):
 * min(1, maxNorm / (‖g‖₂ + 1e-6)). The update multiplies the gradient by it (UpdateInputs).
 */
export function clipScale(b: GraphBuilder, flat: Value, maxNorm: number): Value {
  if (!(maxNorm > 0)) throw new Error(`clipNorm must be positive, got ${maxNorm}`);
  const norm = b.unary('Sqrt', b.op('ReduceSumSquare', [flat], { keepdims: 0 })[0]);
  return b.op('Min', [b.scalar(1), b.div(b.scalar(maxNorm), b.add(norm, b.scalar(1e-6)))])[0];
}
