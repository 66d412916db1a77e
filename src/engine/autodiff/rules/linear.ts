/** Gradient rules of matrix products, embedding lookups, layer norm and dropout. */
import { FloatAttr, type GraphBuilder, type Value } from '../../graph/builder';
import type { GradContext, GradRule, GradThunk } from '../gradRule';

const swapLast = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

export const LINEAR_RULES: Record<string, GradRule> = {
  // Y = A·B (batched, broadcast): dA = dY·Bᵀ, dB = Aᵀ·dY; broadcast batch dims are summed
  // centrally. A batched A against a matrix B (dense layers on sequences) takes one Gemm
  // over the flattened rows instead of a batched product followed by a sum.
  MatMul: (c) => {
    const { b } = c;
    const [a, w] = [c.x(0), c.x(1)];
    return [
      () => timesTransposed(b, c.dy(), w, 0, 1),
      () => {
        if (w.rank === 2 && a.rank > 2) {
          const rows = b.reshape(a, [-1, a.shape[a.rank - 1]]);
          const dy = b.reshape(c.dy(), [-1, w.shape[1]]);
          return b.op('Gemm', [rows, dy], { transA: 1 })[0];
        }
        return timesTransposed(b, a, c.dy(), 1, 0);
      },
    ];
  },
  // onnxruntime's com.microsoft FusedMatMul, Y = α·op(A)·op(B) batched (op = optional swap of
  // the last two axes; the attention scores of CPU training graphs, layers/sequence.ts): each
  // gradient one FusedMatMul reading its operands transposed in place (productGradients).
  FusedMatMul: (c) => {
    if (c.int('transBatchA', 0) || c.int('transBatchB', 0))
      throw new Error(`FusedMatMul (node ${c.node.name}): transBatchA / transBatchB have no gradient rule`);
    const alpha = new FloatAttr(c.float('alpha', 1));
    return productGradients(
      c,
      (p, q, transA, transB) =>
        c.b.op('FusedMatMul', [p, q], { transA, transB, alpha }, { domain: 'com.microsoft' })[0],
    );
  },
  // Y = α·op(A)·op(B) + β·C: dA and dB are one Gemm each (productGradients), dC = β·dY.
  Gemm: (c) => {
    const { b } = c;
    const alpha = c.float('alpha', 1);
    const beta = c.float('beta', 1);
    const dC = () => (beta === 1 ? c.dy() : b.mul(c.dy(), b.scalar(beta, c.x(0).dtype)));
    return [
      ...productGradients(c, (p, q, transA, transB) => b.op('Gemm', [p, q], { transA, transB, alpha })[0]),
      dC,
    ];
  },
  // Embedding lookup Y = W[ids] (axis 0): dW = onehot(ids)ᵀ · dY, one Gemm.
  // Not ScatterND(add): onnxruntime's CPU kernel races with more than one thread.
  Gather: (c) => {
    if (c.int('axis', 0) !== 0)
      throw new Error(`Gather (node ${c.node.name}): only axis 0 has a gradient rule`);
    return [
      () => {
        const { b } = c;
        const w = c.x(0);
        const rest = w.shape.slice(1).reduce((p, q) => p * q, 1);
        const ids = b.reshape(c.x(1), [-1]);
        const hot = b.oneHot(ids, w.shape[0], 0, 1, w.dtype);
        const dy = b.reshape(c.dy(), [ids.shape[0], rest]);
        return b.reshape(b.op('Gemm', [hot, dy], { transA: 1 })[0], w.shape);
      },
      undefined,
    ];
  },
  // LayerNormalization over the trailing axes, x̂ = (x − μ)·r with r = 1/σ:
  //   g  = dY·γ
  //   dx = r · (g − mean(g) − x̂ · mean(g·x̂))
  //   dγ = Σ dY·x̂ ,  dβ = Σ dY   (sums over the leading axes happen in backward.ts)
  LayerNormalization: (c) => {
    const { b } = c;
    const x = c.x(0);
    const axis = c.int('axis', -1) < 0 ? c.int('axis', -1) + x.rank : c.int('axis', -1);
    const axes = x.shape.map((_, i) => i).filter((i) => i >= axis);
    // Unit scale and no shift (layers/basic.ts normalizedLinear): the output is x̂ itself.
    const unit = !c.node.inputs[2] && b.constValue(c.node.inputs[1])?.every((v) => v === 1);
    let xhat: ReturnType<typeof c.x> | undefined;
    const normalized = () => (xhat ??= unit ? c.y(0) : b.mul(b.sub(x, c.y(1)), c.y(2)));
    return [
      () => {
        const g = c.node.inputs[1] && !unit ? b.mul(c.dy(), c.x(1)) : c.dy();
        const meanG = b.reduceMean(g, axes, true);
        const meanGx = b.reduceMean(b.mul(g, normalized()), axes, true);
        return b.mul(c.y(2), b.sub(b.sub(g, meanG), b.mul(normalized(), meanGx)));
      },
      () => b.mul(c.dy(), normalized()),
      () => c.dy(),
    ];
  },
  // Dropout in training mode: the forward mask is reused, dx = dy · mask / (1 − ratio).
  // In inference mode (training_mode absent or false) it is the identity.
  Dropout: (c) => {
    const { b } = c;
    const training = c.node.inputs[2] ? b.constValue(c.node.inputs[2]) : [0];
    if (training && training[0] === 0) return [() => c.dy()];
    const ratio = c.node.inputs[1] ? (b.constValue(c.node.inputs[1])?.[0] ?? 0.5) : 0.5;
    const mask = () => b.cast(c.y(1), c.x(0).dtype);
    return [() => b.mul(b.mul(c.dy(), mask()), b.scalar(1 / (1 - ratio), c.x(0).dtype))];
  },
};

/**
 * op(P)·op(Q) batched, op swapping the last two axes where transP / transQ say: in CPU training
 * graphs one FusedMatMul reading the operand transposed in place; elsewhere an explicit Transpose.
 */
export function timesTransposed(b: GraphBuilder, p: Value, q: Value, transP: number, transQ: number): Value {
  if (b.root.contribOps)
    return b.op(
      'FusedMatMul',
      [p, q],
      { transA: transP, transB: transQ, alpha: new FloatAttr(1) },
      { domain: 'com.microsoft' },
    )[0];
  return b.matmul(
    transP ? b.transpose(p, swapLast(p.rank)) : p,
    transQ ? b.transpose(q, swapLast(q.rank)) : q,
  );
}

/**
 * dA and dB of Y = α·op(A)·op(B) (transA / transB: op swaps the last two axes), each one product
 * `times(P, Q, transP, transQ)` that applies the same α:
 *   tA tB | dA            | dB
 *   0  0  | dY·Bᵀ         | Aᵀ·dY
 *   0  1  | dY·B          | dYᵀ·A
 *   1  0  | B·dYᵀ         | A·dY
 *   1  1  | Bᵀ·dYᵀ        | dYᵀ·Aᵀ
 */
function productGradients(
  c: GradContext,
  times: (p: Value, q: Value, transP: number, transQ: number) => Value,
): GradThunk[] {
  const [A, B, dY] = [() => c.x(0), () => c.x(1), () => c.dy()];
  const which = c.int('transA', 0) * 2 + c.int('transB', 0);
  const dA = [
    () => times(dY(), B(), 0, 1),
    () => times(dY(), B(), 0, 0),
    () => times(B(), dY(), 0, 1),
    () => times(B(), dY(), 1, 1),
  ][which];
  const dB = [
    () => times(A(), dY(), 1, 0),
    () => times(dY(), A(), 1, 0),
    () => times(A(), dY(), 0, 0),
    () => times(dY(), A(), 1, 1),
  ][which];
  return [dA, dB];
}
