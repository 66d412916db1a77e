// LSTM and GRU through Scan: finite-difference checks of the hand-written reverse Scan
// (inputs, initial states, every weight; both output modes) and PyTorch's semantics.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { gru, lstm, type RecurrentContext } from '../../../src/engine/layers/recurrent';
import { gruSequence } from '../../../src/engine/recurrent/gru';
import { lstmSequence } from '../../../src/engine/recurrent/lstm';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { checkGradients, type InputSpec } from './gradcheck';

const [B, T, I, H] = [2, 4, 3, 5];

/** x, the initial state(s), then W_ih, W_hh, b_ih, b_hh in PyTorch's shapes. */
function specs(gates: number, states: number): InputSpec[] {
  return [
    { shape: [B, T, I] },
    ...Array.from({ length: states }, () => ({ shape: [B, H] })),
    { shape: [gates * H, I] },
    { shape: [gates * H, H] },
    { shape: [gates * H] },
    { shape: [gates * H] },
  ];
}

const weights = ([wIh, wHh, bIh, bHh]: Value[]) => ({ wIh, wHh, bIh, bHh });
/** Every step's hidden state and a final state, flattened side by side: [B, T·H + H]. */
const both = (b: GraphBuilder, sequence: Value, last: Value) =>
  b.op('Concat', [b.reshape(sequence, [B, T * H]), last], { axis: 1 })[0];

for (const returnSequences of [true, false]) {
  test(`LSTM gradients of x, h0, c0 and all weights (returnSequences ${returnSequences})`, async () => {
    await checkGradients(
      (b, [x, h0, c0, ...w]) => {
        const out = lstmSequence(b, x, weights(w), h0, c0);
        return returnSequences ? both(b, out.sequence, out.cell) : out.last;
      },
      specs(4, 2),
    );
  });

  test(`GRU gradients of x, h0 and all weights (returnSequences ${returnSequences})`, async () => {
    await checkGradients(
      (b, [x, h0, ...w]) => {
        const out = gruSequence(b, x, weights(w), h0);
        return returnSequences ? both(b, out.sequence, out.last) : out.last;
      },
      specs(3, 1),
    );
  });
}

// torch.nn.LSTM / GRU (PyTorch 1.13, float64, batch_first) with W = 0.5·sin(0.7k + offset)
// per parameter (offsets 0, 1, 2, 3 for weight_ih, weight_hh, bias_ih, bias_hh; 4 for x),
// zero initial states, B=1, T=3, I=2, H=2: the hidden state of every step.
const PYTORCH = {
  lstm: [-0.165077, -0.156699, -0.245635, -0.20624, -0.361133, -0.094311],
  gru: [-0.306116, -0.363745, -0.449372, -0.465873, -0.588231, -0.261187],
};
const fill = (n: number, offset: number) =>
  Float32Array.from({ length: n }, (_, k) => 0.5 * Math.sin(0.7 * k + offset));

for (const type of ['lstm', 'gru'] as const) {
  for (const mode of ['train', 'eval'] as const) {
    test(`${type} layer (${mode} graph) matches PyTorch, with PyTorch's parameter names and shapes`, async () => {
      const b = new GraphBuilder();
      const x = b.input('x', 'float32', [1, 3, 2]);
      const params: string[] = [];
      const offsets = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];
      const c: RecurrentContext = {
        b,
        mode,
        index: 2,
        param(name, shape) {
          params.push(`${name} [${shape}]`);
          const offset = offsets.findIndex((o) => name.endsWith(o));
          return b.constant(
            fill(
              shape.reduce((p, q) => p * q, 1),
              offset,
            ),
            shape,
          );
        },
      };
      const build = (returnSequences: boolean) =>
        type === 'lstm'
          ? lstm(c, { type, units: 2, returnSequences }, x)
          : gru(c, { type, units: 2, returnSequences }, x);
      b.output(build(true), 'seq');
      b.output(build(false), 'last');
      const g = type === 'lstm' ? 8 : 6;
      assert.deepEqual(params.slice(0, 4), [
        `layer2.${type}.weight_ih [${g},2]`,
        `layer2.${type}.weight_hh [${g},2]`,
        `layer2.${type}.bias_ih [${g}]`,
        `layer2.${type}.bias_hh [${g}]`,
      ]);
      const session = await openSession(serializeModel(b));
      const out = await session.run({ x: tensor('float32', fill(6, 4), [1, 3, 2]) });
      assert.deepEqual(out.seq.dims, [1, 3, 2]);
      assert.deepEqual(out.last.dims, [1, 2]);
      const seq = Array.from(out.seq.data as Float32Array);
      seq.forEach((v, i) =>
        assert.ok(Math.abs(v - PYTORCH[type][i]) < 1e-5, `step value ${i}: ${v} vs ${PYTORCH[type][i]}`),
      );
      assert.deepEqual(Array.from(out.last.data as Float32Array), seq.slice(4), 'last = final step');
      await session.release();
    });
  }
}

test('recurrent layers reject inputs that are not sequences and bad unit counts', () => {
  const b = new GraphBuilder();
  const c: RecurrentContext = { b, mode: 'train', index: 0, param: (_n, shape) => b.zeros(shape) };
  assert.throws(
    () => lstm(c, { type: 'lstm', units: 4 }, b.input('x', 'float32', [2, 5])),
    /expects sequences/,
  );
  assert.throws(() => gru(c, { type: 'gru', units: 0 }, b.input('y', 'float32', [2, 5, 3])), /units must be/);
});
