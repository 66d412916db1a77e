/**
 * LSTM over a sequence with PyTorch's gate order and semantics (torch.nn.LSTM, one layer):
 *
 *   z = x_t·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh = [z_i, z_f, z_g, z_o]
 *   i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
 *   c' = f⊙c + i⊙g          h' = o⊙tanh(c')
 *
 * Forward: x·W_ihᵀ for all steps in one Gemm, then a Scan whose body does one step and (in
 * training graphs) saves the states it started from, i, f, g, o and tanh(c'). Backward: a
 * reverse Scan carrying (dh, dc), dh being all the gradient reaching h_t:
 *
 *   dc⁺ = dc + dh⊙o⊙(1 − tanh²c_t)
 *   dz_i = dc⁺⊙g⊙i(1−i)   dz_f = dc⁺⊙c_{t−1}⊙f(1−f)
 *   dz_g = dc⁺⊙i⊙(1−g²)   dz_o = dh⊙tanh(c_t)⊙o(1−o)
 *   dh_{t−1} = dz·W_hh + dH_{t−1}   dc_{t−1} = dc⁺⊙f   (dH: from the layer's output sequence)
 *
 * It emits dz per step; dz is the gradient of the projected inputs (autodiff carries it
 * on to x, W_ih and the biases) and dW_hh = Σ_t dz_tᵀ·h_{t−1} is one Gemm after the Scan.
 */
import type { GraphBuilder, Value } from '../graph/builder';
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

export interface LstmOutput extends RecurrentOutput {
  /** Cell state after the last step [B, H]. */
  cell: Value;
}

/** x [B, T, I], initial states h0 and c0 [B, H]. `train` saves what the backward needs. */
export function lstmSequence(
  b: GraphBuilder,
  x: Value,
  w: RecurrentWeights,
  h0: Value,
  c0: Value,
  train = true,
  { inspect = false }: SequenceOptions = {},
): LstmOutput {
  const [, , , hidden] = recurrentDims(x, w, 4, h0);
  const xw = projectInputs(b, x, w.wIh, b.add(w.bIh, w.bHh));
  const forward = scan(
    b,
    'lstm',
    { states: [h0, c0], sequences: [xw], captures: [w.wHh] },
    (s, [h, c], [xwt]) => {
      const z = s.op('Gemm', [h, w.wHh, xwt], { transB: 1 })[0];
      const [zi, zf, zg, zo] = s.op(
        'Split',
        [z, s.ints([hidden, hidden, hidden, hidden])],
        { axis: 1 },
        { outputs: 4 },
      );
      const [i, f, o] = [zi, zf, zo].map((v) => s.unary('Sigmoid', v));
      const g = s.unary('Tanh', zg);
      const c2 = s.add(s.mul(f, c), s.mul(i, g));
      const tc = s.unary('Tanh', c2);
      const h2 = s.mul(o, tc);
      // A training step saves the states it started from, which its backward reads as they are.
      const outputs = train ? [h, c, i, f, g, o, tc] : inspect ? [h2, c2, i, f, g, o] : [h2];
      return { states: [h2, c2], outputs };
    },
  );
  const [hT, cT] = forward.states;
  const [hs, cs, gi, gf, , go] = forward.outputs;
  // The training Scan saves what its backward needs; its gradient is the 'lstm' rule below.
  if (train) forward.node.composite = { rule: 'lstm', inputs: [h0, c0, xw, w.wHh] };
  const after = (states: Value, last: Value) => (train ? statesAfter(b, states, last) : states);
  const out: LstmOutput = lazySequence(() => batchMajor(b, after(hs, hT)), { last: hT, cell: cT });
  if (inspect) {
    const [input, forget, cell, output] = [gi, gf, after(cs, cT), go].map((v) => batchMajor(b, v));
    out.inside = { input, forget, output, cell };
  }
  return out;
}

/**
 * Backward of the training LSTM Scan (autodiff/rules/index.ts lists it as 'lstm'). Its inputs
 * are h0, c0, xw and the captured W_hh; its outputs h_T, c_T, then per step the states it
 * started from (h_{t−1}, c_{t−1}), the gates i, f, g, o and tanh(c_t). Returns
 * [dh0, dc0, dxw, dW_hh], computed once for all four.
 */
export const lstmScanRule: GradRule = (c) => {
  let grads: Value[] | undefined;
  const all = () =>
    (grads ??= lstmBackward(c.b, c.x(3), [c.dy(0), c.dy(1), c.dyIfAny(2)], {
      hPrev: c.y(2),
      cPrev: c.y(3),
      gi: c.y(4),
      gf: c.y(5),
      gg: c.y(6),
      go: c.y(7),
      tc: c.y(8),
    }));
  return [0, 1, 2, 3].map((k) => () => all()[k]);
};

interface LstmSaved {
  /** Per step [T, B, H]: the states it started from, the four gate activations, tanh(c_t). */
  hPrev: Value;
  cPrev: Value;
  gi: Value;
  gf: Value;
  gg: Value;
  go: Value;
  tc: Value;
}

/**
 * Returns [dh0, dc0, dxw, dW_hh] from the gradients of h_T, c_T and (when any flows) of the
 * states each step started from (the layer's output sequence, shifted by one). Every factor of
 * the step's formulas that does not depend on the incoming gradient is computed for all steps
 * at once before the reverse Scan, in a few large passes:
 *
 *   K = o⊙(1 − tanh²c)   M = [g⊙i(1−i), c_{t−1}⊙f(1−f), i⊙(1−g²), tanh(c)⊙o(1−o)]
 *
 * so that a step is dc⁺ = dc + dh⁺⊙K_t, dz = [dc⁺, dc⁺, dc⁺, dh⁺]⊙M_t, dh⁺_{t−1} = dz·W_hh
 * (+ the output's gradient, as the Gemm's C) and dc_{t−1} = dc⁺⊙f: 6 nodes (30 before), where
 * onnxruntime's cost per node outweighs the arithmetic of [B, H] tensors.
 */
function lstmBackward(
  b: GraphBuilder,
  wHh: Value,
  [dhT, dcT, dhPrev]: [Value, Value, Value | undefined],
  saved: LstmSaved,
): Value[] {
  const { hPrev, cPrev, gi, gf, gg, go, tc } = saved;
  const sigmoidSlope = (a: Value) => b.mul(a, oneMinus(b, a));
  const carry = b.mul(go, oneMinus(b, b.mul(tc, tc)));
  const slopes = b.op(
    'Concat',
    [
      b.mul(gg, sigmoidSlope(gi)),
      b.mul(cPrev, sigmoidSlope(gf)),
      b.mul(gi, oneMinus(b, b.mul(gg, gg))),
      b.mul(tc, sigmoidSlope(go)),
    ],
    { axis: 2 },
  )[0];
  const sequences = [carry, slopes, gf, ...(dhPrev ? [dhPrev] : [])];
  const backward = scan(
    b,
    'lstm_grad',
    { states: [dhT, dcT], sequences, captures: [wHh], reverse: true },
    (s, [dh, dc], [k, m, f, dhOut]) => {
      const dcTotal = s.add(dc, s.mul(dh, k));
      const dz = s.mul(s.op('Concat', [dcTotal, dcTotal, dcTotal, dh], { axis: 1 })[0], m);
      const dhBefore = s.op('Gemm', dhOut ? [dz, wHh, dhOut] : [dz, wHh])[0];
      return { states: [dhBefore, s.mul(dcTotal, f)], outputs: [dz] };
    },
  );
  const [dh0, dc0] = backward.states;
  const [dz] = backward.outputs;
  return [dh0, dc0, dz, sumOverTime(b, dz, hPrev)];
}
