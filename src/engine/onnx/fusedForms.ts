/**
 * How each subgraph fusedPatterns.ts recognises is built in the engine graph: as the engine's own
 * form of the same function, whose gradient takes fewer passes than the exported nodes'.
 */
import { FloatAttr, type GraphBuilder, type Value } from '../graph/builder';
import { gelu } from '../layers/activations';
import { biasedProduct, foldNormalization } from '../layers/basic';
import type { Known } from './fold';
import type { FusedPattern } from './fusedPatterns';

/**
 * The pattern's output; `value` gives the graph value of an ONNX name the pattern reads, `known`
 * its constant value when it has one once the batch is fixed.
 */
export function fusedForm(
  b: GraphBuilder,
  pattern: FusedPattern,
  value: (name: string) => Value,
  known: (name: string) => Known | undefined,
): Value {
  const x = value(pattern.input);
  if (pattern.kind === 'gelu') return gelu(b, x);
  if (pattern.kind === 'maskedSoftmax') return maskedSoftmax(b, pattern, x, value, known(pattern.mask));
  if (pattern.kind === 'transposedProduct') return transposedProduct(b, pattern, value);
  // LayerNormalization with unit scale and no shift: its gradient rule reuses the output as x̂.
  const features = x.shape[x.rank - 1];
  const unit = b.constant(new Float32Array(features).fill(1), [features]);
  const normalized = b.op('LayerNormalization', [x, unit], { axis: -1, epsilon: pattern.epsilon })[0];
  // The norm's parameters first, as the nodes read them.
  const fold = { gamma: value(pattern.gamma), beta: pattern.beta ? value(pattern.beta) : undefined };
  const { weight, bias } = foldNormalization(
    b,
    value(pattern.weight),
    pattern.bias ? value(pattern.bias) : undefined,
    fold,
  );
  const units = weight.shape[1];
  // One Gemm over the rows, as the engine's linear layers do: the weight gradient is one product.
  const rows = x.rank === 2 ? normalized : b.reshape(normalized, [-1, features]);
  const y = bias ? biasedProduct(b, rows, weight, bias).y : b.matmul(rows, weight);
  return x.rank === 2 ? y : b.reshape(y, [...x.shape.slice(0, -1), units]);
}

/** Softmax(Where(mask, −∞, x)) as Softmax(x + (0 or −∞)) when the mask is a constant; else as written. */
function maskedSoftmax(
  b: GraphBuilder,
  pattern: Extract<FusedPattern, { kind: 'maskedSoftmax' }>,
  x: Value,
  value: (name: string) => Value,
  mask: Known | undefined,
): Value {
  const axis = typeof pattern.softmax.attrs.axis === 'number' ? pattern.softmax.attrs.axis : -1;
  let scores: Value;
  if (mask) {
    const addend = Float32Array.from(mask.values, (m) => ((m !== 0) === pattern.fillWhere ? -Infinity : 0));
    scores = b.add(x, b.constant(addend, mask.dims));
  } else {
    const [condition, whenTrue, whenFalse] = pattern.where.inputs.map(value);
    scores = b.op('Where', [condition, whenTrue, whenFalse])[0];
  }
  return b.op('Softmax', [scores], { axis })[0];
}

/** alpha·op(A)·op(B) as one FusedMatMul reading the transposed operands in place (CPU training graphs only). */
function transposedProduct(
  b: GraphBuilder,
  pattern: Extract<FusedPattern, { kind: 'transposedProduct' }>,
  value: (name: string) => Value,
): Value {
  const [a, c] = pattern.operands.map((o) => (o.perm ? b.transpose(value(o.name), o.perm) : value(o.name)));
  const [transA, transB] = pattern.operands.map((o) => (o.transposed ? 1 : 0));
  return b.op(
    'FusedMatMul',
    [a, c],
    { transA, transB, alpha: new FloatAttr(pattern.alpha) },
    { domain: 'com.microsoft' },
  )[0];
}
