/**
 * Images kept channel-major ([C, N, H, W]) between the layers of a training graph that can read
 * them so. The training conv2d computes its output as [F, N, Oh, Ow] (one Gemm over the batch) and
 * its im2col reads its input as [C, N, H, W]; the layers between two convolutions (element-wise
 * activations, pooling, which works on each [H, W] plane alike) do not care which of the first
 * two axes is the batch. So a convolution's output, pooled, feeds the next convolution without
 * the two transposes forward and two backward that the image-major [N, C, H, W] form between
 * them costs.
 *
 * Each layer still returns the image-major value its successors expect, made by a Transpose of
 * the channel-major twin recorded here; where the next layer reads the twin instead, that
 * Transpose is read by nothing and is not written to the graph (graph/liveNodes.ts).
 */
import type { GraphBuilder, Value } from '../graph/builder';
import { swapImageLayout } from '../graph/im2col';

const twins = new WeakMap<Value, Value>();

/** x's channel-major twin [C, N, H, W], when the layer that made x recorded one. */
export function channelMajorTwin(x: Value): Value | undefined {
  return twins.get(x);
}

/** The image-major [N, C, H, W] value of `channelMajor` ([C, N, H, W]), its twin recorded. */
export function imageMajor(b: GraphBuilder, channelMajor: Value): Value {
  const x = swapImageLayout(b, channelMajor);
  twins.set(x, channelMajor);
  return x;
}
