/**
 * Batch normalization in training graphs (imported BatchNormalization nodes, onnx/importOps.ts),
 * as torch.nn.BatchNorm in train mode: x [N, C, …] is normalised per channel with the batch's
 * mean and biased variance over the batch and space, then scaled and shifted.
 *
 * Built as a composite (rule `batchNorm`, autodiff/rules/composite.ts) over
 * [x, scale, bias, centred, inv] so its backward is the closed form of a handful of full-size
 * passes instead of one per node of the formula. The forward needs four: the mean, x − mean, the
 * sum of its squares, and onnxruntime's inference BatchNormalization fed the batch statistics,
 * which normalises, scales and shifts in one.
 */
import type { GraphBuilder, Value } from '../graph/builder';

export interface BatchNormTrain {
  y: Value;
  /** The batch's per-channel mean and biased variance, [C] (for the running statistics). */
  mean: Value;
  variance: Value;
}

export function batchNormTrain(
  b: GraphBuilder,
  x: Value,
  scale: Value,
  bias: Value,
  epsilon: number,
): BatchNormTrain {
  const channels = [x.shape[1]];
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = x.size / x.shape[1];
  const mean = b.reduceMean(x, axes, true);
  const centred = b.sub(x, mean);
  const squares = b.op('ReduceSumSquare', [centred], { axes, keepdims: 1 })[0];
  const variance = b.mul(squares, b.scalar(1 / perChannel, x.dtype));
  const inv = b.unary('Reciprocal', b.unary('Sqrt', b.add(variance, b.scalar(epsilon, x.dtype))));
  const [flatMean, flatVariance] = [b.reshape(mean, channels), b.reshape(variance, channels)];
  const y = b.op('BatchNormalization', [x, scale, bias, flatMean, flatVariance], { epsilon })[0];
  y.producer!.composite = { rule: 'batchNorm', inputs: [x, scale, bias, centred, inv] };
  return { y, mean: flatMean, variance: flatVariance };
}
