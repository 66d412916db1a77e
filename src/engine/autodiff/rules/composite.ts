/**
 * Gradient rules of composites: standard-op subgraphs whose last node carries Node.composite
 * (built in src/engine/layers). One rule per composite reuses the forward's intermediates and
 * needs fewer full-size passes than differentiating the composite's nodes one by one.
 */
import type { GraphBuilder, Value } from '../../graph/builder';
import type { GradRule } from '../gradRule';
import { conv2dComposite } from './conv';
import { timesTransposed } from './linear';

/**
 * a·v + c per channel of v [N, C, …] (a, c as [1, C, 1, …]) in one pass: onnxruntime's inference
 * BatchNormalization with mean 0, variance 1 and epsilon 0 is exactly that affine map.
 */
function channelAffine(b: GraphBuilder, v: Value, a: Value, c: Value): Value {
  const channels = [v.shape[1]];
  const fill = (value: number) => b.constant(new Array<number>(v.shape[1]).fill(value), channels, v.dtype);
  return b.op('BatchNormalization', [v, b.reshape(a, channels), b.reshape(c, channels), fill(0), fill(1)], {
    epsilon: 0,
  })[0];
}

export const COMPOSITE_RULES: Record<string, GradRule> = {
  conv2d: conv2dComposite,
  // Training-mode batch normalization (layers/batchNorm.ts) over [x, γ, β, μ, inv = 1/σ] and,
  // when the forward made it, x − μ (else one Sub here):
  // x̂ = (x − μ)·inv, y = γ·x̂ + β, with Σ over the batch and space (N values per channel) and
  // μ, σ² that batch's mean and biased variance. The closed form:
  //   dβ = ΣdY,   dγ = Σ(dY·x̂) = inv·Σ(dY·(x − μ)) =: g,
  //   dX = (γ·inv/N)·(N·dY − ΣdY − x̂·g) = a·dY + c + k·(x − μ),
  //   a = γ·inv,  m = −a/N,  c = m·ΣdY,  k = m·inv·g
  // (μ and σ depend on x: the last two terms are their share). Full-size passes: dY·(x − μ), the
  // two sums, a·dY + c, k·(x − μ), and one Add. The per-channel values stay [C], the shape of γ,
  // of the parameters' gradients and of channelAffine's inputs: a node costs several µs however
  // small its tensor, and a small network's step runs many of them.
  batchNorm: (c) => {
    const { b } = c;
    const [x, scale] = [c.x(0), c.x(1)];
    let centredValue: Value | undefined;
    const centred = () => (centredValue ??= c.node.composite!.inputs.length > 5 ? c.x(5) : b.sub(x, c.x(3)));
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const n = x.size / x.shape[1];
    const channels = [x.shape[1]];
    const perChannelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    let sums: { inv: Value; dy: Value; g: Value } | undefined;
    const reduced = () => {
      if (sums) return sums;
      const inv = b.reshape(c.x(4), channels);
      const dy = b.reduceSum(c.dy(), axes);
      return (sums = { inv, dy, g: b.mul(b.reduceSum(b.mul(c.dy(), centred()), axes), inv) });
    };
    return [
      () => {
        const { inv, dy: sumDy, g } = reduced();
        const a = b.mul(scale, inv);
        const m = b.mul(a, b.scalar(-1 / n, x.dtype));
        const k = b.reshape(b.mul(m, b.mul(inv, g)), perChannelShape);
        return b.add(channelAffine(b, c.dy(), a, b.mul(sumDy, m)), b.mul(centred(), k));
      },
      () => reduced().g,
      () => reduced().dy,
      undefined,
      undefined,
      undefined,
    ];
  },
  // Gelu y = x·Φ(x) with inputs [x, u = x/√2, Φ = (1 + erf u)/2] (layers/activations.ts):
  //   dx = dy · (Φ + x·φ(x)),  x·φ(x) = u·exp(−u²)/√π = u·exp(−ln√π − u²)
  // so the constant 1/√π rides in the exponent: six element-wise ops in all.
  gelu: (c) => {
    const { b } = c;
    const [u, phi] = [c.x(1), c.x(2)];
    return [
      () => {
        const density = b.unary('Exp', b.sub(b.scalar(-0.5 * Math.log(Math.PI), u.dtype), b.mul(u, u)));
        return b.mul(c.dy(), b.add(phi, b.mul(u, density)));
      },
      undefined,
      undefined,
    ];
  },
  // y = α·x̂·W (+ b) over the rows of a unit-scale layer norm's output x̂ = (x − μ)·r
  // (layers/basic.ts normalizedLinear; inputs [x, W, x̂ rows, r, x̂, and b when the Gemm adds
  // it]). With g = dx̂ = α·dY·Wᵀ the norm's closed form is dx = r·(g − mean(g) − x̂·mean(g·x̂)).
  // The row mean of g is a product too:
  // mean(g) = α·dY·(Wᵀ's row of column means), so g_c = g − mean(g) = α·dY·W_cᵀ with W_c = W
  // less the mean of each column, a weight-sized pass; and mean(g·x̂) = mean(g_c·x̂) as x̂ sums to
  // zero along the row. Full-size passes after the dx̂ product: g_c·x̂, its mean, x̂·that,
  // the difference, times r (the ReduceMean of g and one Sub fewer than the norm's own rule).
  //   dW = α·x̂ᵀ·dY,  db = ΣdY (summed over the rows in backward.ts; with the bias in an Add
  //   after the Gemm, that Add's rule gives it)
  normalizedLinear: (c) => {
    const { b } = c;
    const [x, weight, rows, invStdDev, xhat] = [c.x(0), c.x(1), c.x(2), c.x(3), c.x(4)];
    const alpha = c.float('alpha', 1);
    if (c.int('transA', 0) || c.int('transB', 0) || c.float('beta', 1) !== 1)
      throw new Error(`normalizedLinear (node ${c.node.name}): expects a plain Gemm x̂·W (+ b)`);
    return [
      () => {
        const centred = b.sub(weight, b.reduceMean(weight, [0], true));
        const gc = b.op('Gemm', [c.dy(), centred], { transB: 1, alpha })[0];
        const g = b.reshape(gc, x.shape);
        const meanGx = b.reduceMean(b.mul(g, xhat), [x.rank - 1], true);
        return b.mul(b.sub(g, b.mul(xhat, meanGx)), invStdDev);
      },
      () => b.op('Gemm', [rows, c.dy()], { transA: 1, alpha })[0],
      undefined,
      undefined,
      undefined,
      () => c.dy(),
    ];
  },
  // O = softmax(S)·V per head (layers/sequence.ts attention in training graphs; inputs [S, V, P]
  // with P = softmax(S)). dP = dO·Vᵀ, dV = Pᵀ·dO, and softmax's dS = P·(dP − Σⱼ dPᵢⱼ·Pᵢⱼ), where
  // Σⱼ dPᵢⱼ·Pᵢⱼ = Σⱼ (dOᵢ·vⱼ)·Pᵢⱼ = dOᵢ·Oᵢ: the row sum over the head width from dO and O, not over
  // the T keys from dP and P (FlashAttention's D), half the passes' size at T = 2·head width.
  attentionMix: (c) => {
    const { b } = c;
    const [v, probs] = [c.x(1), c.x(2)];
    const out = c.y(0);
    return [
      () => {
        const dProbs = timesTransposed(b, c.dy(), v, 0, 1);
        const rowDot = b.reduceSum(b.mul(c.dy(), out), [out.rank - 1], true);
        return b.mul(probs, b.sub(dProbs, rowDot));
      },
      () => timesTransposed(b, probs, c.dy(), 1, 0),
      undefined,
    ];
  },
  // y = u·a with a = 1 + erf u (layers/activations.ts geluOfScaled, inputs [u, a]):
  //   du = dy · (a + u·erf′(u)) = dy · (a + u·exp(ln(2/√π) − u²)),  six element-wise ops.
  geluOfScaled: (c) => {
    const { b } = c;
    const [u, a] = [c.x(0), c.x(1)];
    return [
      () => {
        const density = b.unary(
          'Exp',
          b.sub(b.scalar(Math.log(2 / Math.sqrt(Math.PI)), u.dtype), b.mul(u, u)),
        );
        return b.mul(c.dy(), b.add(a, b.mul(u, density)));
      },
      undefined,
    ];
  },
};
