/**
 * Batch normalization in training graphs (imported BatchNormalization nodes, onnx/importOps.ts),
 * as torch.nn.BatchNorm in train mode: x [N, C, …] is normalised per channel with the batch's
 * mean and biased variance over the batch and space, then scaled and shifted.
 *
 * Built as a composite (rule `batchNorm`, autodiff/rules/composite.ts) over
 * [x, scale, bias, mean, inv] (mean as [1, C, 1, …], inv = 1/σ as [C] or [1, C, 1, …]; the
 * four-pass form adds x − mean)
 * so its backward is the closed form of a handful of full-size passes instead of one per node of
 * the formula.
 *
 * On the CPU the forward is ONE node: onnxruntime's BatchNormalization in training mode, which
 * computes the batch statistics and normalises in a single kernel. With momentum 0 its running
 * outputs are exactly the batch's mean and biased variance (ONNX: r = momentum·r + (1 − momentum)·
 * batch); the running statistics are blended from them by the importer with the model's own
 * momentum. Other providers (WebGPU) keep the four passes of standard ops: the mean, x − mean, the
 * sum of its squares, and the inference BatchNormalization fed the batch statistics.
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
  const perChannelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const invOf = (variance: Value) =>
    b.unary('Reciprocal', b.unary('Sqrt', b.add(variance, b.scalar(epsilon, x.dtype))));
  if (b.root.contribOps) {
    // Its running inputs only need to be finite (momentum 0), but onnxruntime may write the
    // running outputs over them in place. Measured here: a constant of zeros shared with the
    // backward's channelAffine was overwritten with the batch mean, and one value fed to both
    // inputs came back as the variance in both outputs. So each input is a value of its own, read
    // from x (never a constant that could be shared) by a node of its own.
    const corner = b.reshape(
      b.op('Slice', [x, b.ints(x.shape.map(() => 0)), b.ints(perChannelShape)])[0],
      channels,
    );
    const [y, mean, variance] = b.op(
      'BatchNormalization',
      [x, scale, bias, b.unary('Neg', corner), b.unary('Abs', corner)],
      { epsilon, momentum: 0, training_mode: 1 },
      { outputs: 3 },
    );
    y.producer!.composite = {
      rule: 'batchNorm',
      inputs: [x, scale, bias, b.reshape(mean, perChannelShape), invOf(variance)],
    };
    return { y, mean, variance };
  }
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = x.size / x.shape[1];
  const mean = b.reduceMean(x, axes, true);
  const centred = b.sub(x, mean);
  const squares = b.op('ReduceSumSquare', [centred], { axes, keepdims: 1 })[0];
  const variance = b.mul(squares, b.scalar(1 / perChannel, x.dtype));
  const inv = invOf(variance);
  const [flatMean, flatVariance] = [b.reshape(mean, channels), b.reshape(variance, channels)];
  const y = b.op('BatchNormalization', [x, scale, bias, flatMean, flatVariance], { epsilon })[0];
  y.producer!.composite = { rule: 'batchNorm', inputs: [x, scale, bias, mean, inv, centred] };
  return { y, mean: flatMean, variance: flatVariance };
}
