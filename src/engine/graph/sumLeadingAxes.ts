/**
 * Sums a tensor over its leading axes, as gradients need it: a bias or layer-norm gradient over
 * the rows, a convolution's weight gradient over the images of the batch. onnxruntime's
 * ReduceSum is slow when the axes it removes come first: on [32, 36 864] it took 0.85 ms where
 * a row vector of ones times the rows (one Gemm) took 0.07 ms, and [2048, 65…512] was 2–5×
 * slower too. So large float32 sums are that Gemm; small ones keep ReduceSum, whose node
 * overhead is the same. Gemm is standard ONNX and runs on every provider.
 */
import type { GraphBuilder, Value } from './builder';

/** Below this many elements both forms cost about one node's overhead. */
const GEMM_FROM_SIZE = 16384;

/** g summed over its first `count` axes, those axes removed. */
export function sumLeadingAxes(b: GraphBuilder, g: Value, count: number): Value {
  const rows = g.shape.slice(0, count).reduce((p, q) => p * q, 1);
  const kept = g.shape.slice(count);
  const inner = g.size / rows;
  if (g.dtype !== 'float32' || inner <= 1 || g.size < GEMM_FROM_SIZE)
    return b.reduceSum(
      g,
      Array.from({ length: count }, (_, i) => i),
      false,
    );
  const sum = b.op('Gemm', [onesRow(b, rows), b.reshape(g, [rows, inner])])[0];
  return b.reshape(sum, kept);
}

/** A [1, n] float32 row of ones, one initializer per length per model. */
function onesRow(b: GraphBuilder, n: number): Value {
  return b.sharedConstant(`onesRow|${n}`, () => b.constant(new Float32Array(n).fill(1), [1, n]));
}
