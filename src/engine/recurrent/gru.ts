/**
 * GRU over a sequence with PyTorch's gate order and semantics (torch.nn.GRU, one layer):
 *
 *   a = x_t·W_ihᵀ + b_ih = [a_r, a_z, a_n]     u = h·W_hhᵀ + b_hh = [u_r, u_z, u_n]
 *   r = σ(a_r + u_r)   z = σ(a_z + u_z)   n = tanh(a_n + r⊙u_n)
 *   h' = (1 − z)⊙n + z⊙h = n + z⊙(h − n)
 *
 * Forward: a for all steps in one Gemm, then a Scan over steps saving the state each step
 * started from, r, z, n and u_n. Backward: a reverse Scan carrying dh, all the gradient reaching h_t:
 *
 *   dn̂ = dh⊙(1 − z)⊙(1 − n²)     (gradient of n's pre-activation)
 *   dẑ = dh⊙(h_{t−1} − n)⊙z(1−z)   dr̂ = dn̂⊙u_n⊙r(1−r)
 *   da = [dr̂, dẑ, dn̂]             du = [dr̂, dẑ, dn̂⊙r]
 *   dh_{t−1} = dh⊙z + du·W_hh + dH_{t−1}   (dH: from the layer's output sequence)
 *
 * It emits da and du per step: da flows on through autodiff (x, W_ih, b_ih);
 * dW_hh = Σ_t du_tᵀ·h_{t−1} is one Gemm after the Scan and db_hh = Σ du.
 */
import type { GraphBuilder, Value } from '../graph/builder';
import { sumLeadingAxes } from '../graph/sumLeadingAxes';
import type { GradRule } from '../autodiff/gradRule';
import {
  batchMajor,
  oneMinus,
  lazySequence,
  projectInputs,
  recurrentDims,
  statesAfter,
  sumOverTime,
  type RecurrentOutput,
  type SequenceOptions,
  type RecurrentWeights,
} from './common';
import { scan } from './scan';

/** x [B, T, I], initial state h0 [B, H]. `train` saves what the backward needs. */
export function gruSequence(
  b: GraphBuilder,
  x: Value,
  w: RecurrentWeights,
  h0: Value,
  train = true,
  { inspect = false }: SequenceOptions = {},
): RecurrentOutput {
  const [, , , hidden] = recurrentDims(x, w, 3, h0);
  const split3 = (s: GraphBuilder, v: Value) =>
    s.op('Split', [v, s.ints([hidden, hidden, hidden])], { axis: 1 }, { outputs: 3 });
  const a = projectInputs(b, x, w.wIh, w.bIh);
  const captures = [w.wHh, w.bHh];
  const forward = scan(b, 'gru', { states: [h0], sequences: [a], captures }, (s, [h], [at]) => {
    const [ar, az, an] = split3(s, at);
    const [ur, uz, un] = split3(s, s.op('Gemm', [h, w.wHh, w.bHh], { transB: 1 })[0]);
    const r = s.unary('Sigmoid', s.add(ar, ur));
    const z = s.unary('Sigmoid', s.add(az, uz));
    const n = s.unary('Tanh', s.add(an, s.mul(r, un)));
    const h2 = s.add(n, s.mul(z, s.sub(h, n)));
    // A training step saves the state it started from, which its backward reads as it is.
    const outputs = train ? [h, r, z, n, un] : inspect ? [h2, r, z] : [h2];
    return { states: [h2], outputs };
  });
  const [hT] = forward.states;
  const [hs, r, z] = forward.outputs;
  // The training Scan saves what its backward needs; its gradient is the 'gru' rule below.
  if (train) forward.node.composite = { rule: 'gru', inputs: [h0, a, ...captures] };
  const out = lazySequence(() => batchMajor(b, train ? statesAfter(b, hs, hT) : hs), { last: hT });
  if (inspect) out.inside = { reset: batchMajor(b, r), update: batchMajor(b, z) };
  return out;
}

/**
 * Backward of the training GRU Scan (autodiff/rules/index.ts lists it as 'gru'). Its inputs
 * are h0, a and the captured W_hh, b_hh; its outputs h_T, then per step the state it started
 * from (h_{t−1}), r, z, n and u_n. Returns [dh0, da, dW_hh, db_hh], computed once for all four.
 */
export const gruScanRule: GradRule = (c) => {
  let grads: Value[] | undefined;
  const all = () =>
    (grads ??= gruBackward(c.b, c.x(2), [c.dy(0), c.dyIfAny(1)], {
      hPrev: c.y(1),
      r: c.y(2),
      z: c.y(3),
      n: c.y(4),
      un: c.y(5),
    }));
  return [0, 1, 2, 3].map((k) => () => all()[k]);
};

interface GruSaved {
  /** Per step [T, B, H]: the state it started from, gates r, z, n and u_n = h·W_hnᵀ + b_hn. */
  hPrev: Value;
  r: Value;
  z: Value;
  n: Value;
  un: Value;
}

/**
 * Returns [dh0, da, dW_hh, db_hh] from the gradients of h_T and (when any flows) of the state
 * each step started from (the layer's output sequence, shifted by one). A step's gradients are
 * dh times factors that do not depend on it, computed for all steps at once before the Scan:
 *
 *   P_n = (1 − z)⊙(1 − n²)   P_z = (h_{t−1} − n)⊙z(1−z)   P_r = P_n⊙u_n⊙r(1−r)
 *   da = [dh, dh, dh]⊙[P_r, P_z, P_n]   du = [dh, dh, dh]⊙[P_r, P_z, P_n⊙r]
 *
 * so a step is 5 nodes, 6 when the output sequence has a gradient (onnxruntime's cost per node
 * outweighs the arithmetic of [B, H] tensors).
 */
function gruBackward(
  b: GraphBuilder,
  wHh: Value,
  [dhT, dhPrev]: [Value, Value | undefined],
  saved: GruSaved,
): Value[] {
  const { hPrev, r, z, n, un } = saved;
  const gates = (parts: Value[]) => b.op('Concat', parts, { axis: 2 })[0];
  const pn = b.mul(oneMinus(b, z), oneMinus(b, b.mul(n, n)));
  const pz = b.mul(b.sub(hPrev, n), b.mul(z, oneMinus(b, z)));
  const pr = b.mul(b.mul(pn, un), b.mul(r, oneMinus(b, r)));
  const sequences = [gates([pr, pz, pn]), gates([pr, pz, b.mul(pn, r)]), z, ...(dhPrev ? [dhPrev] : [])];
  const backward = scan(
    b,
    'gru_grad',
    { states: [dhT], sequences, captures: [wHh], reverse: true },
    (s, [dh], [ma, mu, zt, dhOut]) => {
      const dh3 = s.op('Concat', [dh, dh, dh], { axis: 1 })[0];
      const du = s.mul(dh3, mu);
      const direct = dhOut ? s.add(s.mul(dh, zt), dhOut) : s.mul(dh, zt);
      return { states: [s.op('Gemm', [du, wHh, direct])[0]], outputs: [s.mul(dh3, ma), du] };
    },
  );
  const [dh0] = backward.states;
  const [da, du] = backward.outputs;
  return [dh0, da, sumOverTime(b, du, hPrev), sumLeadingAxes(b, du, 2)];
}
