/**
 * Losses as small compositions of builder ops, each returning the batch mean (what the
 * optimizer minimises) and one value per example (for evaluation of partial batches).
 */
import type { LossName } from '../../contract/experiment';
import type { DType } from '../graph/dtypes';
import type { GraphBuilder, Value } from '../graph/builder';

export interface LossValues {
  mean: Value;
  /** [batch]: mean over the example's positions / outputs. */
  perExample: Value;
}

/** Targets a loss expects for a model output of shape [B, ...out]. */
export function targetShape(loss: LossName, output: number[]): { dtype: DType; shape: number[] } {
  if (loss === 'cross-entropy') return { dtype: 'int64', shape: output.slice(0, -1) };
  return { dtype: 'float32', shape: output };
}

export function buildLoss(
  b: GraphBuilder,
  loss: LossName,
  output: Value,
  target: Value,
  smoothing = 0,
): LossValues {
  const elementwise =
    loss === 'cross-entropy'
      ? crossEntropy(b, output, target, smoothing)
      : loss === 'mse'
        ? squaredError(b, output, target)
        : bceWithLogits(b, output, target);
  const axes = elementwise.shape.map((_, i) => i).slice(1);
  const perExample = axes.length ? b.reduceMean(elementwise, axes, false) : elementwise;
  return { mean: b.reduceMean(perExample, [0], false), perExample };
}

/**
 * −Σ_c w_c · log softmax(z)_c with w = (1 − ε)·onehot(y) + ε/C (label smoothing ε).
 * LogSoftmax is the log-sum-exp form z − max z − log Σ exp(z − max z): no overflow.
 */
function crossEntropy(b: GraphBuilder, logits: Value, target: Value, smoothing: number): Value {
  if (!(smoothing >= 0 && smoothing < 1))
    throw new Error(`labelSmoothing must be in [0, 1), got ${smoothing}`);
  const classes = logits.shape[logits.rank - 1];
  const logp = b.op('LogSoftmax', [logits], { axis: -1 })[0];
  const off = smoothing / classes;
  const weights = b.oneHot(target, classes, off, 1 - smoothing + off);
  return b.neg(b.reduceSum(b.mul(weights, logp), [-1], false));
}

function squaredError(b: GraphBuilder, prediction: Value, target: Value): Value {
  const diff = b.sub(prediction, target);
  return b.mul(diff, diff);
}

/** Stable BCE with logits: max(z, 0) − z·y + log(1 + exp(−|z|)); never log(sigmoid(z)). */
function bceWithLogits(b: GraphBuilder, logits: Value, target: Value): Value {
  const softplus = b.unary('Log', b.add(b.scalar(1), b.unary('Exp', b.neg(b.unary('Abs', logits)))));
  return b.add(b.sub(b.relu(logits), b.mul(logits, target)), softplus);
}
