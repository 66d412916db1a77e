/**
 * GRU over a sequence with PyTorch's gate order and semantics (torch.nn.GRU, one layer):
 *
 *   a = x_t·W_ihᵀ + b_ih = [a_r, a_z, a_n]     u = h·W_hhᵀ + b_hh = [u_r, u_z, u_n]
 *   r = σ(a_r + u_r)   z = σ(a_z + u_z)   n = tanh(a_n + r⊙u_n)
 *   h' = (1 − z)⊙n + z⊙h = n + z⊙(h − n)
 *
 * Forward: a for all steps in one Gemm, then a Scan over steps saving r, z, n and u_n.
 * Backward: a reverse Scan carrying dh:
 *
 *   dh⁺ = dh + dH_t
 *   dn̂ = dh⁺⊙(1 − z)⊙(1 − n²)     (gradient of n's pre-activation)
 *   dẑ = dh⁺⊙(h_{t−1} − n)⊙z(1−z)   dr̂ = dn̂⊙u_n⊙r(1−r)
 *   da = [dr̂, dẑ, dn̂]              du = [dr̂, dẑ, dn̂⊙r]
 *   dh_{t−1} = dh⁺⊙z + du·W_hh
 *
 * It emits da and du per step: da flows on through autodiff (x, W_ih, b_ih);
 * dW_hh = Σ_t du_tᵀ·h_{t−1} is one Gemm after the Scan and db_hh = Σ du.
 */
import type { GraphBuilder, Value } from '../graph/builder';
import type { GradRule } from '../autodiff/gradRule';
import {
  batchMajor,
  oneMinus,
  previousStates,
  projectInputs,
  recurrentDims,
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
    return { states: [h2], outputs: train || inspect ? [h2, r, z, n, un] : [h2] };
  });
  const [hT] = forward.states;
  const [hs, r, z] = forward.outputs;

  // The training Scan saves what its backward needs; its gradient is the 'gru' rule below.
  if (train) forward.node.composite = { rule: 'gru', inputs: [h0, a, ...captures] };
  const out: RecurrentOutput = { sequence: batchMajor(b, hs), last: hT };
  if (inspect) out.inside = { reset: batchMajor(b, r), update: batchMajor(b, z) };
  return out;
}

/**
 * Backward of the training GRU Scan (autodiff/rules/index.ts lists it as 'gru'). Its inputs
 * are h0, a and the captured W_hh, b_hh; its outputs h_T, then per step hs, r, z, n and u_n.
 * Returns [dh0, da, dW_hh, db_hh], computed once for all four.
 */
export const gruScanRule: GradRule = (c) => {
  let grads: Value[] | undefined;
  const all = () =>
    (grads ??= gruBackward(c.b, c.x(2), [c.dy(0), c.dy(1)], {
      h0: c.x(0),
      hs: c.y(1),
      r: c.y(2),
      z: c.y(3),
      n: c.y(4),
      un: c.y(5),
    }));
  return [0, 1, 2, 3].map((k) => () => all()[k]);
};

interface GruSaved {
  h0: Value;
  /** Per step [T, B, H]: hidden state after the step, gates r, z, n and u_n = h·W_hnᵀ + b_hn. */
  hs: Value;
  r: Value;
  z: Value;
  n: Value;
  un: Value;
}

/** Returns [dh0, da, dW_hh, db_hh] from the gradients of h_T and the hidden sequence. */
function gruBackward(b: GraphBuilder, wHh: Value, [dhT, dHs]: Value[], saved: GruSaved): Value[] {
  const { h0, hs, r, z, n, un } = saved;
  const hPrev = previousStates(b, h0, hs);
  const backward = scan(
    b,
    'gru_grad',
    { states: [dhT], sequences: [dHs, hPrev, r, z, n, un], captures: [wHh], reverse: true },
    (s, [dh], [dht, hp, rt, zt, nt, unt]) => {
      const dhTotal = s.add(dh, dht);
      const dn = s.mul(s.mul(dhTotal, oneMinus(s, zt)), oneMinus(s, s.mul(nt, nt)));
      const dz = s.mul(s.mul(dhTotal, s.sub(hp, nt)), s.mul(zt, oneMinus(s, zt)));
      const dr = s.mul(s.mul(dn, unt), s.mul(rt, oneMinus(s, rt)));
      const da = s.op('Concat', [dr, dz, dn], { axis: 1 })[0];
      const du = s.op('Concat', [dr, dz, s.mul(dn, rt)], { axis: 1 })[0];
      const dhPrev = s.op('Gemm', [du, wHh, s.mul(dhTotal, zt)])[0];
      return { states: [dhPrev], outputs: [da, du] };
    },
  );
  const [dh0] = backward.states;
  const [da, du] = backward.outputs;
  return [dh0, da, sumOverTime(b, du, hPrev), b.reduceSum(du, [0, 1])];
}
