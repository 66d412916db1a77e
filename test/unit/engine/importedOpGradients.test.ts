// Finite-difference checks (gradcheck.ts) of the gradient rules of ops PyTorch exports and the
// ONNX importer passes through: activations, Sin / Cos, elementwise and reduced extrema.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { Rng } from '../../../src/engine/init';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { checkGradients, distinct } from './gradcheck';

const rng = new Rng(11);

/** −5…5 in steps of 10/23, none within 0.1 of the kinks at 0, ±2.5 (HardSigmoid's) and ±3. */
const wide = Float32Array.from({ length: 24 }, (_, i) => -5 + (10 * i) / 23 + 0.05);

test('Elu, Selu, Softplus, Softsign on both sides of 0', async () => {
  const ops: [string, Record<string, number>][] = [
    ['Elu', { alpha: 0.7 }],
    ['Selu', {}],
    ['Softplus', {}],
    ['Softsign', {}],
  ];
  for (const [op, attrs] of ops)
    await checkGradients((b, [x]) => b.op(op, [x], attrs)[0], [{ shape: [4, 6], data: wide }]);
});

test('HardSigmoid (default and PyTorch α, β) and HardSwish across their linear pieces', async () => {
  await checkGradients((b, [x]) => b.op('HardSigmoid', [x])[0], [{ shape: [4, 6], data: wide }]);
  await checkGradients(
    (b, [x]) => b.op('HardSigmoid', [x], { alpha: 1 / 6, beta: 0.5 })[0],
    [{ shape: [4, 6], data: wide }],
  );
  await checkGradients((b, [x]) => b.op('HardSwish', [x])[0], [{ shape: [4, 6], data: wide }]);
});

test('PRelu with one slope and a slope per channel', async () => {
  for (const slope of [[1], [3, 1, 1]])
    await checkGradients(
      (b, [x, a]) => b.op('PRelu', [x, a])[0],
      [{ shape: [2, 3, 2, 2] }, { shape: slope }],
    );
});

test('Sin and Cos', async () => {
  for (const op of ['Sin', 'Cos'])
    await checkGradients((b, [x]) => b.unary(op, b.mul(x, b.scalar(3))), [{ shape: [3, 4] }]);
});

test('Max and Min of broadcast inputs, and ReduceMax / ReduceMin with and without kept dims', async () => {
  for (const op of ['Max', 'Min'])
    await checkGradients(
      (b, [x, y, z]) => b.op(op, [x, y, z])[0],
      [
        { shape: [2, 3], data: distinct(rng, 6) },
        { shape: [3], data: distinct(rng, 3).map((v) => v + 0.01) },
        { shape: [2, 1], data: Float32Array.of(0.012, -0.031) },
      ],
      { eps: 1e-4 },
    );
  for (const op of ['ReduceMax', 'ReduceMin'])
    for (const [axes, keepdims] of [
      [[2], 0],
      [[1, 2], 1],
      [[], 0],
    ] as const)
      await checkGradients(
        (b, [x]) => b.op(op, [x], { axes: [...axes], keepdims })[0],
        [{ shape: [2, 3, 4], data: distinct(rng, 24) }],
        { eps: 1e-4 },
      );
});

/** The gradient of Σ f(x) at x. */
async function gradientAt(f: (b: GraphBuilder, x: Value) => Value, x: number[]): Promise<number[]> {
  const b = new GraphBuilder();
  const input = b.input('x', 'float32', [x.length]);
  const loss = b.reduceSum(f(b, input), []);
  b.output(gradients(b, loss, [input]).get('x')!, 'dx');
  const session = await openSession(serializeModel(b));
  const out = await session.run({ x: tensor('float32', Float32Array.from(x), [x.length]) });
  await session.release();
  return Array.from(out.dx.data as Float32Array);
}

test('ties share the gradient evenly, as torch.amax and torch.maximum do', async () => {
  assert.deepEqual(
    await gradientAt((b, x) => b.op('ReduceMax', [x], { axes: [0], keepdims: 0 })[0], [2, 5, 5, 1]),
    [0, 0.5, 0.5, 0],
  );
  assert.deepEqual(
    await gradientAt((b, x) => b.op('Max', [x, b.constant([2, 2, 2, 2], [4])])[0], [2, 5, 1, 2]),
    [0.5, 1, 0, 0.5],
  );
});

test('InstanceNormalization as imported: unit-scale LayerNormalization over the spatial axes, per-channel scale and shift', async () => {
  // The composition onnx/importOps.ts builds: its gradient is LayerNormalization's unit-scale form.
  await checkGradients(
    (b, [x, scale, shift]) => {
      const ones = b.constant(new Array<number>(12).fill(1), [3, 4]);
      const normalized = b.op('LayerNormalization', [x, ones], { axis: 2, epsilon: 1e-5 })[0];
      return b.add(b.mul(normalized, b.reshape(scale, [2, 1, 1])), b.reshape(shift, [2, 1, 1]));
    },
    [{ shape: [3, 2, 3, 4] }, { shape: [2] }, { shape: [2] }],
  );
});

test('ConvTranspose with stride, pads, output_padding and dilation, with and without contrib ops', async () => {
  for (const contribOps of [true, false])
    for (const attrs of [
      { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] },
      { kernel_shape: [3, 3], strides: [1, 2], pads: [0, 1, 2, 0], dilations: [2, 1] },
      // 1×1 with stride 2 and output_padding: dW's patches of dY are its 1×1 AveragePool subsample.
      { kernel_shape: [1, 1], strides: [2, 2], output_padding: [1, 0] },
    ] as Record<string, number[]>[])
      await checkGradients(
        (b, [x, w, bias]) => {
          b.contribOps = contribOps;
          return b.op('ConvTranspose', [x, w, bias], attrs)[0];
        },
        [{ shape: [2, 3, 4, 5] }, { shape: [3, 2, ...attrs.kernel_shape] }, { shape: [2] }],
      );
});
