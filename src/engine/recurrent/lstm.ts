/**
 * LSTM over a sequence with PyTorch's gate order and semantics (torch.nn.LSTM, one layer):
 *
 *   z = x_t·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh = [z_i, z_f, z_g, z_o]
 *   i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
 *   c' = f⊙c + i⊙g          h' = o⊙tanh(c')
 *
 * Forward: x·W_ihᵀ for all steps in one Gemm, then a Scan whose body does one step and
 * (in training graphs) saves c', i, f, g, o. Backward: a reverse Scan carrying (dh, dc):
 *
 *   dh⁺ = dh + dH_t (gradient reaching h_t from the layer's output)
 *   dc⁺ = dc + dh⁺⊙o⊙(1 − tanh²c_t)
 *   dz_i = dc⁺⊙g⊙i(1−i)   dz_f = dc⁺⊙c_{t−1}⊙f(1−f)
 *   dz_g = dc⁺⊙i⊙(1−g²)   dz_o = dh⁺⊙tanh(c_t)⊙o(1−o)
 *   dh_{t−1} = dz·W_hh     dc_{t−1} = dc⁺⊙f
 *
 * It emits dz per step; dz is the gradient of the projected inputs (autodiff carries it
 * on to x, W_ih and the biases) and dW_hh = Σ_t dz_tᵀ·h_{t−1} is one Gemm after the Scan.
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
      const h2 = s.mul(o, s.unary('Tanh', c2));
      return { states: [h2, c2], outputs: train || inspect ? [h2, c2, i, f, g, o] : [h2] };
    },
  );
  const [hT, cT] = forward.states;
  const [hs, cs, gi, gf, , go] = forward.outputs;

  // The training Scan saves what its backward needs; its gradient is the 'lstm' rule below.
  if (train) forward.node.composite = { rule: 'lstm', inputs: [h0, c0, xw, w.wHh] };
  const out: LstmOutput = { sequence: batchMajor(b, hs), last: hT, cell: cT };
  if (inspect) {
    const [input, forget, cell, output] = [gi, gf, cs, go].map((v) => batchMajor(b, v));
    out.inside = { input, forget, output, cell };
  }
  return out;
}

/**
 * Backward of the training LSTM Scan (autodiff/rules/index.ts lists it as 'lstm'). Its inputs
 * are h0, c0, xw and the captured W_hh; its outputs h_T, c_T, then per step hs, cs and the
 * gates i, f, g, o. Returns [dh0, dc0, dxw, dW_hh], computed once for all four.
 */
export const lstmScanRule: GradRule = (c) => {
  let grads: Value[] | undefined;
  const all = () =>
    (grads ??= lstmBackward(c.b, c.x(3), [c.dy(0), c.dy(1), c.dy(2)], {
      h0: c.x(0),
      c0: c.x(1),
      hs: c.y(2),
      cs: c.y(3),
      gi: c.y(4),
      gf: c.y(5),
      gg: c.y(6),
      go: c.y(7),
    }));
  return [0, 1, 2, 3].map((k) => () => all()[k]);
};

interface LstmSaved {
  h0: Value;
  c0: Value;
  /** Per step [T, B, H]: hidden and cell states after the step, the four gate activations. */
  hs: Value;
  cs: Value;
  gi: Value;
  gf: Value;
  gg: Value;
  go: Value;
}

/** Returns [dh0, dc0, dxw, dW_hh] from the gradients of h_T, c_T and the hidden sequence. */
function lstmBackward(b: GraphBuilder, wHh: Value, [dhT, dcT, dHs]: Value[], saved: LstmSaved): Value[] {
  const { h0, c0, hs, cs, gi, gf, gg, go } = saved;
  const cPrev = previousStates(b, c0, cs);
  const sequences = [dHs, cs, cPrev, gi, gf, gg, go];
  const backward = scan(
    b,
    'lstm_grad',
    { states: [dhT, dcT], sequences, captures: [wHh], reverse: true },
    (s, [dh, dc], [dht, ct, cp, i, f, g, o]) => {
      const dhTotal = s.add(dh, dht);
      const tc = s.unary('Tanh', ct);
      const dcTotal = s.add(dc, s.mul(s.mul(dhTotal, o), oneMinus(s, s.mul(tc, tc))));
      const dzi = s.mul(s.mul(dcTotal, g), s.mul(i, oneMinus(s, i)));
      const dzf = s.mul(s.mul(dcTotal, cp), s.mul(f, oneMinus(s, f)));
      const dzg = s.mul(s.mul(dcTotal, i), oneMinus(s, s.mul(g, g)));
      const dzo = s.mul(s.mul(dhTotal, tc), s.mul(o, oneMinus(s, o)));
      const dz = s.op('Concat', [dzi, dzf, dzg, dzo], { axis: 1 })[0];
      return { states: [s.op('Gemm', [dz, wHh])[0], s.mul(dcTotal, f)], outputs: [dz] };
    },
  );
  const [dh0, dc0] = backward.states;
  const [dz] = backward.outputs;
  return [dh0, dc0, dz, sumOverTime(b, dz, previousStates(b, h0, hs))];
}
