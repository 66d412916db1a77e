// Finite-difference checks of every gradient rule (see gradcheck.ts): one short case per op family.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GRADIENT_RULES, ruleTable } from '../../../src/engine/autodiff/rules';
import { FloatAttr, GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { Rng } from '../../../src/engine/init';
import { gelu, geluOfScaled } from '../../../src/engine/layers/activations';
import { dropout, keptFrom } from '../../../src/engine/layers/dropout';
import { buildTrainGraph, planModel } from '../../../src/engine/model/graphs';
import { ParamStore } from '../../../src/engine/model/params';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { batchChunks } from '../../../src/engine/autodiff/rules/conv';
import { checkGradients, distinct, gradientProblem } from './gradcheck';

const rng = new Rng(42);
const positive = (n: number) => Float32Array.from({ length: n }, () => 0.5 + rng.uniform());
const ids = (values: number[]) => BigInt64Array.from(values.map(BigInt));

test('Add, Sub, Mul, Div with broadcasting', async () => {
  await checkGradients(
    (b, [x, y]) => b.div(b.mul(b.sub(b.add(x, y), y), x), b.add(y, b.scalar(3))),
    [{ shape: [2, 3, 4] }, { shape: [3, 1] }],
  );
});

test('broadcast gradients summed over many leading rows (bias, position table) and over a middle axis', async () => {
  // 32·32·16 elements: large enough for the Gemm-with-ones sum; [32, 1, 16] keeps ReduceSum.
  await checkGradients(
    (b, [x, bias, pos, mid]) => b.mul(b.add(b.add(b.add(x, bias), pos), mid), x),
    [{ shape: [32, 32, 16] }, { shape: [16] }, { shape: [32, 16] }, { shape: [32, 1, 16] }],
  );
});

test('MatMul with batch broadcasting, and batched input against a matrix', async () => {
  await checkGradients((b, [x, w]) => b.matmul(x, w), [{ shape: [2, 3, 4, 5] }, { shape: [3, 5, 2] }]);
  await checkGradients((b, [x, w]) => b.matmul(x, w), [{ shape: [2, 3, 4] }, { shape: [4, 5] }]);
});

test('MatMul without contrib ops (WebGPU graphs): explicit transposes instead of FusedMatMul', async () => {
  const plain = (b: GraphBuilder, [x, w]: Value[]) => {
    b.contribOps = false;
    return b.matmul(x, w);
  };
  await checkGradients(plain, [{ shape: [2, 3, 4, 5] }, { shape: [3, 5, 2] }]);
  await checkGradients(plain, [{ shape: [2, 3, 4] }, { shape: [4, 5] }]);
});

/** A [3, 4] by [4, 5] product's operand shapes under transA / transB, after `batch` axes. */
const transposeCases = (batch: number[][]) =>
  [0, 1].flatMap((transA) =>
    [0, 1].map((transB) => ({
      transA,
      transB,
      a: [...batch[0], ...(transA ? [4, 3] : [3, 4])],
      w: [...batch[1], ...(transB ? [5, 4] : [4, 5])],
    })),
  );

test('Gemm in every transpose combination with a broadcast bias, alpha and beta', async () => {
  for (const { transA, transB, a, w } of transposeCases([[], []])) {
    await checkGradients(
      (b, [x, y, c]) => b.op('Gemm', [x, y, c], { transA, transB, alpha: 0.7, beta: 1.3 })[0],
      [{ shape: a }, { shape: w }, { shape: [5] }],
    );
  }
});

test('FusedMatMul (com.microsoft) in every transpose combination with alpha, batched and broadcast', async () => {
  for (const { transA, transB, a, w } of transposeCases([[2, 3], [3]])) {
    const alpha = new FloatAttr(0.7);
    await checkGradients(
      (b, [x, y]) => b.op('FusedMatMul', [x, y], { transA, transB, alpha }, { domain: 'com.microsoft' })[0],
      [{ shape: a }, { shape: w }],
    );
  }
});

test('Relu, Gelu, Tanh, Sigmoid, Exp', async () => {
  for (const op of ['Relu', 'Tanh', 'Sigmoid', 'Exp']) {
    await checkGradients((b, [x]) => b.unary(op, x), [{ shape: [3, 5] }]);
  }
  await checkGradients((b, [x]) => gelu(b, x), [{ shape: [3, 5] }]);
});

test('Gelu composite rule across its curve, tails included', async () => {
  // −4…4: the density term x·φ(x) peaks near ±1 and vanishes in the tails.
  const wide = Float32Array.from({ length: 24 }, (_, i) => -4 + (8 * i) / 23);
  await checkGradients((b, [x]) => gelu(b, b.mul(x, x)), [{ shape: [4, 6], data: wide }]);
  await checkGradients((b, [x]) => b.mul(gelu(b, x), x), [{ shape: [4, 6], data: wide }]);
});

test('geluOfScaled composite rule (the Transformer block GELU on u = z/√2) equals √2·gelu(√2·u)', async () => {
  const wide = Float32Array.from({ length: 24 }, (_, i) => -3 + (6 * i) / 23);
  await checkGradients((b, [u]) => b.mul(geluOfScaled(b, u), u), [{ shape: [4, 6], data: wide }]);
  const b = new GraphBuilder();
  const u = b.input('u', 'float32', [24]);
  b.output(geluOfScaled(b, u), 'scaled');
  b.output(b.mul(gelu(b, b.mul(u, b.scalar(Math.SQRT2))), b.scalar(Math.SQRT2)), 'reference');
  const session = await openSession(serializeModel(b));
  const out = await session.run({ u: tensor('float32', wide, [24]) });
  const [scaled, reference] = [out.scaled.data, out.reference.data] as Float32Array[];
  scaled.forEach((v, i) => assert.ok(Math.abs(v - reference[i]) < 1e-5, `${v} vs ${reference[i]}`));
  await session.release();
});

test('Log, Sqrt, Pow on positive inputs', async () => {
  await checkGradients((b, [x]) => b.unary('Log', x), [{ shape: [4, 3], data: positive(12) }]);
  await checkGradients((b, [x]) => b.unary('Sqrt', x), [{ shape: [4, 3], data: positive(12) }]);
  await checkGradients(
    (b, [x, e]) => b.op('Pow', [x, e])[0],
    [
      { shape: [4, 3], data: positive(12) },
      { shape: [3], data: positive(3) },
    ],
  );
  await checkGradients((b, [x]) => b.op('Pow', [x, b.scalar(3)])[0], [{ shape: [2, 3] }]);
});

test('Softmax and LogSoftmax on the last and a middle axis', async () => {
  for (const axis of [-1, 1]) {
    await checkGradients((b, [x]) => b.op('Softmax', [x], { axis })[0], [{ shape: [2, 4, 3] }]);
    await checkGradients((b, [x]) => b.op('LogSoftmax', [x], { axis })[0], [{ shape: [2, 4, 3] }]);
  }
});

test('Reshape, Flatten, Transpose, Squeeze, Unsqueeze', async () => {
  await checkGradients((b, [x]) => b.reshape(x, [4, -1]), [{ shape: [2, 2, 3] }]);
  await checkGradients((b, [x]) => b.op('Flatten', [x], { axis: 1 })[0], [{ shape: [2, 2, 3] }]);
  await checkGradients((b, [x]) => b.transpose(x, [2, 0, 1]), [{ shape: [2, 3, 4] }]);
  await checkGradients((b, [x]) => b.op('Squeeze', [x, b.ints([1])])[0], [{ shape: [2, 1, 3] }]);
  await checkGradients((b, [x]) => b.op('Unsqueeze', [x, b.ints([0, 2])])[0], [{ shape: [2, 3] }]);
});

test('Concat, Split, Slice, Pad', async () => {
  await checkGradients(
    (b, [x, y]) => b.op('Concat', [x, y, x], { axis: 1 })[0],
    [{ shape: [2, 3] }, { shape: [2, 2] }],
  );
  await checkGradients(
    (b, [x]) => {
      const [p, , q] = b.op('Split', [x, b.ints([1, 2, 2])], { axis: 1 }, { outputs: 3 });
      return b.mul(p, q.shape[1] === 2 ? b.reduceSum(q, [1], true) : q);
    },
    [{ shape: [3, 5] }],
  );
  await checkGradients(
    (b, [x]) => b.op('Slice', [x, b.ints([1, -3]), b.ints([3, 100]), b.ints([0, 2])])[0],
    [{ shape: [4, 2, 5] }],
  );
  await checkGradients((b, [x]) => b.op('Pad', [x, b.ints([1, 0, 2, 1])])[0], [{ shape: [2, 3] }]);
});

test('ReduceSum and ReduceMean with and without kept dims', async () => {
  await checkGradients((b, [x]) => b.reduceSum(x, [0, 2], false), [{ shape: [2, 3, 4] }]);
  await checkGradients((b, [x]) => b.reduceSum(x, [], true), [{ shape: [2, 3] }]);
  await checkGradients((b, [x]) => b.reduceMean(x, [-1], true), [{ shape: [2, 3, 4] }]);
  await checkGradients((b, [x]) => b.reduceMean(x, [1], false), [{ shape: [2, 3, 4] }]);
});

test('Where routes gradients to the chosen branch only', async () => {
  await checkGradients(
    (b, [x, y]) => {
      const cond = b.constant(Uint8Array.from([1, 0, 0, 1, 1, 0]), [2, 3], 'bool');
      return b.op('Where', [cond, x, y])[0];
    },
    [{ shape: [2, 3] }, { shape: [3] }],
  );
});

test('LayerNormalization with scale and bias', async () => {
  await checkGradients(
    (b, [x, g, bias]) => b.op('LayerNormalization', [x, g, bias], { axis: -1, epsilon: 1e-5 })[0],
    [{ shape: [2, 3, 6] }, { shape: [6] }, { shape: [6] }],
  );
});

test('Gather (embedding) gradient accumulates repeated ids', async () => {
  await checkGradients(
    (b, [w, i]) => b.op('Gather', [w, i], { axis: 0 })[0],
    [{ shape: [7, 4] }, { shape: [2, 3], dtype: 'int64', data: ids([1, 3, 1, 6, 0, 3]) }],
  );
});

test('Conv 2-D with stride, padding, dilation and bias', async () => {
  const cases: {
    x: number[];
    w: number[];
    strides: number[];
    pads: number[];
    dilations: number[];
    group?: number;
  }[] = [
    { x: [2, 3, 7, 7], w: [4, 3, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
    { x: [1, 2, 8, 9], w: [3, 2, 3, 2], strides: [2, 3], pads: [0, 1, 2, 0], dilations: [1, 1] },
    { x: [2, 2, 9, 9], w: [2, 2, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [2, 2] },
    // Stride 1: dX is a Conv with the flipped kernel, uneven pads and dilation included.
    { x: [2, 3, 6, 7], w: [4, 3, 3, 2], strides: [1, 1], pads: [2, 0, 1, 1], dilations: [2, 1] },
    // A pad beyond the kernel's reach: dX falls back to ConvTranspose.
    { x: [2, 2, 5, 5], w: [3, 2, 1, 1], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
    // ResNet's 1×1 stride-2 shortcut; a 1×1 with uneven strides that skip the last row and column;
    // a pointwise (1×1, stride 1) convolution, whose patches are x itself.
    { x: [2, 3, 6, 6], w: [4, 3, 1, 1], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] },
    { x: [2, 3, 8, 9], w: [4, 3, 1, 1], strides: [3, 2], pads: [0, 0, 0, 0], dilations: [1, 1] },
    { x: [2, 3, 5, 4], w: [4, 3, 1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] },
    // Grouped 1×1: two groups with stride 2, and a depthwise pointwise convolution.
    { x: [2, 4, 6, 5], w: [6, 2, 1, 1], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], group: 2 },
    { x: [2, 4, 5, 5], w: [4, 1, 1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 4 },
    // Grouped stride 1: dX is a grouped Conv with each group's kernel flipped and swapped. Depthwise
    // with uneven pads and dilation; two filters per channel; two groups of two channels into six.
    { x: [2, 4, 6, 7], w: [4, 1, 3, 3], strides: [1, 1], pads: [1, 2, 2, 0], dilations: [1, 2], group: 4 },
    { x: [2, 4, 5, 5], w: [8, 1, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 4 },
    { x: [2, 4, 5, 6], w: [6, 2, 3, 2], strides: [1, 1], pads: [1, 0, 1, 1], dilations: [1, 1], group: 2 },
    // Per-image dW products [4, 72, 64]: large enough that their sum over the batch is a Gemm.
    { x: [4, 8, 6, 6], w: [64, 8, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
  ];
  // With contrib ops dW comes from onnxruntime's patches; without (WebGPU graphs), from im2col.
  // Either takes the window values by slices or one-hot Convs, or as products (small images).
  for (const [contribOps, productMaxArea] of [true, false].flatMap((c) =>
    [0, Infinity].map((a) => [c, a] as const),
  )) {
    for (const c of cases) {
      await checkGradients(
        (b, [x, w, bias]) => {
          b.contribOps = contribOps;
          b.im2colProductMaxArea = productMaxArea;
          const attrs = { strides: c.strides, pads: c.pads, dilations: c.dilations, group: c.group ?? 1 };
          return b.op('Conv', [x, w, bias], attrs)[0];
        },
        [{ shape: c.x }, { shape: c.w }, { shape: [c.w[0]] }],
      );
    }
  }
});

test("a convolution's weight gradient taken over chunks of the batch equals the whole batch's", async () => {
  // The fewest equal chunks that fit; a batch of 5 has no divisor between 2 and 4, so 3 + 2.
  assert.deepEqual(batchChunks(32, 7), [4, 4, 4, 4, 4, 4, 4, 4]);
  assert.deepEqual(batchChunks(32, 4), [8, 8, 8, 8]);
  assert.deepEqual(batchChunks(5, 2), [3, 2]);
  assert.deepEqual(batchChunks(3, 9), [1, 1, 1]);
  const cases: { op: string; x: number[]; w: number[]; attrs: Record<string, number[] | number> }[] = [
    { op: 'Conv', x: [5, 2, 6, 6], w: [3, 2, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
    {
      op: 'Conv',
      x: [4, 2, 9, 9],
      w: [3, 2, 3, 3],
      attrs: { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [2, 2] },
    },
    // Depthwise (the grouped product) and a transposed convolution (dY and x change roles).
    { op: 'Conv', x: [5, 4, 6, 5], w: [4, 1, 3, 3], attrs: { pads: [1, 0, 1, 2], group: 4 } },
    { op: 'ConvTranspose', x: [4, 3, 5, 5], w: [3, 2, 3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] } },
    // A chunk per image would be 16: at most 8 are made.
    { op: 'Conv', x: [16, 2, 5, 5], w: [2, 2, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  ];
  for (const c of cases) {
    // Splits into `fewest` chunks (0: the whole batch), by a budget of the patches' bytes over that.
    const gradientsIn = async (fewest: number) => {
      let built: GraphBuilder | undefined;
      let x0: Value | undefined;
      const problem = await gradientProblem(
        (b, [x, w]) => {
          [built, x0] = [b, x];
          b.im2colProductMaxArea = 0;
          const y = b.op(c.op, [x, w], c.attrs)[0];
          // The image whose patches dW reads: x for a Conv, the output for a transposed one.
          const [image, out] = c.op === 'Conv' ? [x, y] : [y, x];
          const patchBytes = image.shape[0] * image.shape[1] * 9 * out.shape[2] * out.shape[3] * 4;
          b.convPatchesChunkBytes = fewest ? patchBytes / fewest : Infinity;
          return y;
        },
        [{ shape: c.x }, { shape: c.w }],
        new Rng(7),
      );
      const { grads } = await problem.run();
      await problem.release();
      const splits = built!.nodes
        .filter((node) => node.opType === 'Split' && node.inputs[0] === x0)
        .map((node) => built!.constValue(node.inputs[1]));
      return { grads, splits };
    };
    const whole = await gradientsIn(0);
    assert.deepEqual(whole.splits, [], `${c.op} [${c.x}]: the whole batch in one piece`);
    const n = c.x[0];
    for (const fewest of [2, n]) {
      const chunked = await gradientsIn(fewest);
      const what = `${c.op} [${c.x}] in ${fewest} chunks`;
      const sizes = batchChunks(n, Math.min(8, fewest));
      assert.deepEqual(chunked.splits, [sizes], `${what}: x split into [${sizes}]`);
      chunked.grads.forEach((g, i) => {
        const scale = Math.max(...whole.grads[i].map(Math.abs));
        const worst = Math.max(...g.map((v, k) => Math.abs(v - whole.grads[i][k])));
        assert.ok(worst <= 1e-5 * scale, `${what}: gradient ${i} differs by ${worst} (scale ${scale})`);
      });
    }
  }
  // The gradients of the chunked forms against finite differences.
  for (const c of cases)
    await checkGradients(
      (b, [x, w]) => {
        b.im2colProductMaxArea = 0;
        b.convPatchesChunkBytes = 1;
        return b.op(c.op, [x, w], c.attrs)[0];
      },
      [{ shape: c.x }, { shape: c.w }],
    );
});

test('MaxPool (disjoint and overlapping windows) and AveragePool', async () => {
  for (const [k, s] of [
    [2, 2],
    [3, 2],
  ]) {
    await checkGradients(
      (b, [x]) => b.op('MaxPool', [x], { kernel_shape: [k, k], strides: [s, s] })[0],
      [{ shape: [2, 2, 7, 7], data: distinct(rng, 196) }],
      { eps: 1e-4 },
    );
    // Disjoint windows (MaxUnpool routes dY) with padding, with gaps between them, and dilated;
    // a step of 1e-3 stays far inside the 0.05 between distinct values.
    for (const attrs of [
      { pads: [1, 1, 1, 1] },
      { strides: [k + 1, k + 1] },
      { dilations: [2, 2], strides: [2 * k, 2 * k] },
    ] as Record<string, number[]>[])
      await checkGradients(
        (b, [x]) => b.op('MaxPool', [x], { kernel_shape: [k, k], strides: [k, k], ...attrs })[0],
        [{ shape: [2, 2, 7, 7], data: distinct(rng, 196) }],
      );
    await checkGradients(
      (b, [x]) => b.op('AveragePool', [x], { kernel_shape: [k, k], strides: [s, s] })[0],
      [{ shape: [2, 2, 7, 7] }],
    );
  }
});

test('seeded dropout: gradient reuses the mask; masks follow the key', async () => {
  const key = BigInt64Array.from([12345n]);
  await checkGradients(
    (b, [x, k]) => dropout(b, x, 0.3, k, 0),
    [{ shape: [4, 50] }, { shape: [], dtype: 'int64', data: key }],
  );
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [20000]);
  const k = b.input('k', 'int64', []);
  b.output(dropout(b, x, 0.25, k, 0), 'y');
  b.output(dropout(b, x, 0.25, k, 1), 'z');
  const session = await openSession(serializeModel(b));
  const ones = tensor('float32', new Float32Array(20000).fill(1), [20000]);
  const run = async (key: bigint) => {
    const out = await session.run({ x: ones, k: tensor('int64', BigInt64Array.from([key]), []) });
    return [out.y.data as Float32Array, out.z.data as Float32Array];
  };
  const [a, siteTwo] = await run(7n);
  const [again] = await run(7n);
  const [other] = await run(8n);
  const kept = a.filter((v) => v > 0).length / a.length;
  assert.ok(Math.abs(kept - 0.75) < 0.02, `kept fraction ${kept}`);
  assert.ok(
    a.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6),
    'kept values are scaled by 1/(1-rate)',
  );
  assert.deepEqual(again, a, 'same key, same mask');
  const differs = (p: Float32Array, q: Float32Array) =>
    p.filter((v, i) => v > 0 !== q[i] > 0).length / p.length;
  assert.ok(differs(a, other) > 0.3, 'another key draws another mask');
  assert.ok(differs(a, siteTwo) > 0.3, 'another site draws another mask');
  // Neighbouring elements are not correlated (the hash mixes the index).
  let agree = 0;
  for (let i = 1; i < a.length; i++) agree += Number(a[i] > 0 === a[i - 1] > 0);
  assert.ok(
    Math.abs(agree / (a.length - 1) - (0.75 ** 2 + 0.25 ** 2)) < 0.02,
    `neighbour agreement ${agree}`,
  );
});

test('seeded dropout keeps h ≥ keptFrom(rate): exactly the elements whose float draw h·(1/P) exceeds rate', async () => {
  const P = 2147483647;
  const b = new GraphBuilder();
  const h = b.input('h', 'int64', [-1]);
  const cases: { rate: number; dtype: 'float32' | 'float64' }[] = [];
  for (const dtype of ['float32', 'float64'] as const)
    for (const rate of [1e-9, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.9, 0.999999]) cases.push({ rate, dtype });
  for (const [i, { rate, dtype }] of cases.entries()) {
    const draw = b.mul(b.cast(h, dtype), b.scalar(1 / P, dtype));
    b.output(b.cast(b.op('Less', [b.scalar(rate, dtype), draw])[0], 'float32'), `float${i}`);
    const bound = b.scalar(keptFrom(rate, dtype) - 1, 'int64');
    b.output(b.cast(b.op('Less', [bound, h])[0], 'float32'), `bound${i}`);
  }
  const session = await openSession(serializeModel(b));
  for (const [i, { rate, dtype }] of cases.entries()) {
    // Hashes on both sides of the bound, the ends of the field, and spread over it.
    const from = keptFrom(rate, dtype);
    const hashes = [0, 1, P - 2, P - 1];
    for (let d = -300; d <= 300; d++) if (from + d >= 0 && from + d < P) hashes.push(from + d);
    for (let k = 0; k < 2000; k++) hashes.push(Math.floor(rng.uniform() * P));
    const out = await session.run({ h: tensor('int64', ids(hashes), [hashes.length]) });
    const byFloat = out[`float${i}`].data as Float32Array;
    assert.deepEqual(out[`bound${i}`].data, byFloat, `rate ${rate} in ${dtype}`);
    const kept = byFloat.filter((v) => v > 0).length;
    assert.ok(kept > 0 && kept < hashes.length, `rate ${rate} in ${dtype}: both sides of the bound tested`);
  }
});

test('ONNX Dropout in training mode: gradient is dy · mask / (1 − ratio) with the forward mask', async () => {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [400]);
  const [y] = b.op(
    'Dropout',
    [x, b.scalar(0.4), b.constant(Uint8Array.from([1]), [], 'bool')],
    {},
    { outputs: 1 },
  );
  const loss = b.output(b.reduceSum(b.mul(y, y), []), 'loss');
  const grads = gradients(b, loss, [x]);
  b.output(grads.get('x')!, 'dx');
  const mask = b.output(b.nodes.find((n) => n.opType === 'Dropout')!.outputs[1]!, 'mask');
  const session = await openSession(serializeModel(b));
  const data = Float32Array.from({ length: 400 }, () => rng.normal());
  const out = await session.run({ x: tensor('float32', data, [400]) });
  const m = out[mask.name].data as Uint8Array;
  const dx = out.dx.data as Float32Array;
  assert.ok(m.some((v) => v) && m.some((v) => !v), 'mask keeps some elements and drops others');
  dx.forEach((g, i) => {
    const expected = m[i] ? (2 * data[i]) / 0.6 / 0.6 : 0;
    assert.ok(Math.abs(g - expected) < 1e-4 * (1 + Math.abs(expected)), `element ${i}: ${g} vs ${expected}`);
  });
});

/** dx of Σ f(x)·w at the values xs (w random, the dy), and f(x), through a CPU or a WebGPU graph. */
async function pointGradient(xs: number[], contribOps: boolean, f: (b: GraphBuilder, x: Value) => Value) {
  const n = xs.length;
  const b = new GraphBuilder();
  b.contribOps = contribOps;
  const x = b.input('x', 'float32', [n]);
  const w = b.input('w', 'float32', [n]);
  const y = f(b, x);
  const loss = b.output(b.reduceSum(b.mul(y, w), []), 'loss');
  b.output(gradients(b, loss, [x]).get('x')!, 'dx');
  b.output(y, 'y');
  const session = await openSession(serializeModel(b));
  const weights = Float32Array.from({ length: n }, () => rng.normal());
  const out = await session.run({
    x: tensor('float32', Float32Array.from(xs), [n]),
    w: tensor('float32', weights, [n]),
  });
  await session.release();
  const values = (name: string) => Array.from(out[name].data as Float32Array);
  return { dx: values('dx'), dy: Array.from(weights), y: values('y') };
}

test('Relu passes dy exactly where its output is positive, down to the smallest subnormal, in CPU and WebGPU graphs', async () => {
  // Edge values of float32: ±0, the smallest subnormal 2⁻¹⁴⁹, the smallest normal 2⁻¹²⁶, values
  // whose scaling by 2¹⁰⁰ overflows, the largest float, and negatives of each size.
  const xs = [
    0,
    -0,
    2 ** -149,
    2 ** -126,
    1e-30,
    1e-7,
    0.5,
    1,
    2 ** 28,
    1e30,
    3.4e38,
    -(2 ** -149),
    -1,
    -3.4e38,
  ];
  for (const contribOps of [true, false]) {
    const { dx, dy: weights } = await pointGradient(xs, contribOps, (b, x) => b.relu(x));
    // Exactly dy (here w) or exactly 0, as PyTorch's threshold_backward gives (the CPU form's dy·0 is
    // −0 for a negative dy: === treats it as 0, as every later sum does).
    xs.forEach((v, i) =>
      assert.ok(
        dx[i] === (v > 0 ? weights[i] : 0),
        `${contribOps ? 'CPU training graph' : 'WebGPU graph'}: x = ${v}, dx ${dx[i]}, dy ${weights[i]}`,
      ),
    );
  }
});

test('LeakyRelu passes dy for x > 0 and exactly α·dy at and below 0, in CPU and WebGPU graphs', async () => {
  const xs = [0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 1e-30, 1, 3.4e38, -1, -3.4e38, Infinity, -Infinity];
  // PyTorch's default slope, a GAN's 0.2, the bounds 0 and 1, and slopes outside [0, 1] (Where form).
  for (const alpha of [0.01, 0.2, 0, 1, 1.5, -0.25])
    for (const contribOps of [true, false]) {
      const leaky = (b: GraphBuilder, x: Value) => b.op('LeakyRelu', [x], { alpha: new FloatAttr(alpha) })[0];
      const { dx, dy, y } = await pointGradient(xs, contribOps, leaky);
      xs.forEach((v, i) => {
        const where = `${contribOps ? 'CPU training graph' : 'WebGPU graph'}, α = ${alpha}, x = ${v}`;
        const expected = v > 0 ? dy[i] : Math.fround(dy[i] * Math.fround(alpha));
        assert.ok(dx[i] === expected, `${where}: dx ${dx[i]}, expected ${expected}`);
        // onnxruntime's forward, for the record: x, or α·x (NaN for α = 0 at −∞, as α·x is).
        const forward = v > 0 ? Math.fround(v) : Math.fround(Math.fround(v) * Math.fround(alpha));
        assert.ok(y[i] === forward || (Number.isNaN(forward) && Number.isNaN(y[i])), `${where}: y ${y[i]}`);
      });
    }
});

test('HardSwish and HardSigmoid take PyTorch’s gradient at and around their kinks, in CPU and WebGPU graphs', async () => {
  // ±3 and one float32 step (2⁻²²) either side, ±1.5, the smallest subnormal, ±∞.
  const step = 2 ** -22;
  const xs = [
    -Infinity,
    -1e30,
    -3 - step,
    -3,
    -3 + step,
    -1.5,
    -(2 ** -149),
    0,
    1.5,
    3 - step,
    3,
    3 + step,
    1e30,
    Infinity,
  ];
  const f32 = Math.fround;
  for (const contribOps of [true, false]) {
    const graph = contribOps ? 'CPU training graph' : 'WebGPU graph';
    const swish = await pointGradient(xs, contribOps, (b, x) => b.op('HardSwish', [x])[0]);
    xs.forEach((v, i) => {
      // PyTorch's hardswish_backward: 0 below −3, dy·(x/3 + ½) up to 3 inclusive, dy above.
      const dy = swish.dy[i];
      const expected = v < -3 ? 0 : v <= 3 ? f32(dy * f32(f32(v / 3) + 0.5)) : dy;
      assert.ok(
        swish.dx[i] === expected,
        `${graph}, HardSwish at x = ${v}: dx ${swish.dx[i]}, expected ${expected}`,
      );
    });
    // PyTorch's F.hardsigmoid (α = 1/6, β = ½) and ONNX's default (α = 0.2): α·dy strictly
    // between the saturated ends, 0 at and past them, as the forward's y shows them.
    for (const alpha of [1 / 6, 0.2]) {
      const sigmoid = await pointGradient(
        xs,
        contribOps,
        (b, x) => b.op('HardSigmoid', [x], { alpha: new FloatAttr(alpha), beta: new FloatAttr(0.5) })[0],
      );
      xs.forEach((v, i) => {
        const y = sigmoid.y[i];
        const expected = y > 0 && y < 1 ? f32(sigmoid.dy[i] * f32(alpha)) : 0;
        assert.ok(
          sigmoid.dx[i] === expected,
          `${graph}, HardSigmoid α = ${alpha} at x = ${v}: dx ${sigmoid.dx[i]}, expected ${expected}`,
        );
        if (alpha === 1 / 6 && Math.abs(Math.abs(v) - 3) > step)
          assert.equal(y > 0 && y < 1, v > -3 && v < 3, `x = ${v}: inside as PyTorch has it`);
      });
    }
  }
});

test('Clip passes dy exactly where min ≤ x ≤ max, bounds included, with either bound or both, in CPU and WebGPU graphs', async () => {
  // ReLU6's bounds and a one-sided clamp each way, at values on, just past (by the smallest
  // subnormal or one ulp) and far past each bound, ±∞ included.
  const xs = [
    NaN,
    -Infinity,
    -3.4e38,
    -1,
    -(2 ** -149),
    -0,
    0,
    2 ** -149,
    1,
    6 - 2 ** -21,
    6,
    6 + 2 ** -21,
    1e30,
    Infinity,
  ];
  const cases: [number | undefined, number | undefined][] = [
    [0, 6],
    [0, undefined],
    [undefined, 6],
    [-1, -1],
    // min > max: every y is max and no x is inside (torch.clamp's rule).
    [6, 0],
  ];
  for (const contribOps of [true, false])
    for (const [min, max] of cases) {
      // One-sided as the importer writes it, the other bound infinite (Clip's own default for a
      // missing max is float32's largest value, which would turn x = ∞ finite).
      const clip = (b: GraphBuilder, x: Value) =>
        b.op('Clip', [x, b.scalar(min ?? -Infinity), b.scalar(max ?? Infinity)])[0];
      const { dx, dy: weights, y: clipped } = await pointGradient(xs, contribOps, clip);
      xs.forEach((v, i) => {
        const where = `${contribOps ? 'CPU training graph' : 'WebGPU graph'}, Clip(${min}, ${max}), x = ${v}`;
        if (Number.isNaN(v)) {
          // NaN stays NaN, as in torch.clamp, so a diverging run shows.
          assert.ok(Number.isNaN(clipped[i]), `${where}: y ${clipped[i]}`);
          return;
        }
        const inside = (min === undefined || v >= min) && (max === undefined || v <= max);
        assert.ok(dx[i] === (inside ? weights[i] : 0), `${where}: dx ${dx[i]}, dy ${weights[i]}`);
        const expected = Math.min(max ?? Infinity, Math.max(min ?? -Infinity, v));
        assert.ok(clipped[i] === Math.fround(expected), `${where}: y ${clipped[i]}`);
      });
    }
});

test('a missing rule is an error naming the op and the node', () => {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [3]);
  const y = b.op('Tan', [x], {}, { types: [{ dtype: 'float32', shape: [3] }] })[0];
  const loss = b.reduceSum(y, []);
  assert.throws(() => gradients(b, loss, [x]), /no gradient rule for op Tan \(node Tan\)/);
});

test('MaxPool without Indices (WebGPU graphs): mask-form gradient, skipped rows included', async () => {
  const cases: [number[], number][] = [
    [[2, 2, 7, 7], 2],
    [[1, 3, 6, 6], 3],
  ];
  for (const [shape, k] of cases) {
    await checkGradients(
      (b, [x]) => {
        b.avoidPoolIndices = true;
        return b.op('MaxPool', [x], { kernel_shape: [k, k], strides: [k, k] })[0];
      },
      [
        {
          shape: [...shape],
          data: distinct(
            rng,
            shape.reduce((p, q) => p * q, 1),
          ),
        },
      ],
      { eps: 1e-4 },
    );
  }
});

test('MaxPool sends dY to the first largest value of each window when values tie', async () => {
  // Values from {0, 1, 2}: most windows hold ties (as after a ReLU, where zeros tie), and the
  // gradient must go to the first in row-major order only, as PyTorch's and the Indices do.
  for (const [shape, k] of [
    [[2, 3, 6, 6], 2],
    [[1, 2, 7, 9], 3],
  ] as [number[], number][]) {
    const [n, ch, h, w] = shape;
    const [oh, ow] = [Math.floor(h / k), Math.floor(w / k)];
    const x = Float32Array.from({ length: n * ch * h * w }, () => Math.floor(rng.uniform() * 3));
    const r = Float32Array.from({ length: n * ch * oh * ow }, () => rng.normal());
    const b = new GraphBuilder();
    const xv = b.input('x', 'float32', shape);
    const rv = b.input('r', 'float32', [n, ch, oh, ow]);
    const y = b.op('MaxPool', [xv], { kernel_shape: [k, k], strides: [k, k] })[0];
    const loss = b.output(b.reduceSum(b.mul(y, rv), []), 'loss');
    b.output(gradients(b, loss, [xv]).get('x')!, 'dx');
    const session = await openSession(serializeModel(b));
    const out = await session.run({
      x: tensor('float32', x, shape),
      r: tensor('float32', r, [n, ch, oh, ow]),
    });
    await session.release();
    const expected = new Float32Array(x.length);
    for (let plane = 0; plane < n * ch; plane++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let best = -1;
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++) {
              const at = plane * h * w + (i * k + di) * w + (j * k + dj);
              if (best < 0 || x[at] > x[best]) best = at;
            }
          expected[best] += r[plane * oh * ow + i * ow + j];
        }
    // + 0 reads the −0 of 0·(negative dY) as 0: they add up alike.
    assert.deepEqual(
      Array.from(out.dx.data as Float32Array, (v) => v + 0),
      Array.from(expected),
    );
  }
});

test('train graphs for WebGPU never ask MaxPool for Indices; CPU graphs do', () => {
  const plan = planModel(
    {
      model: {
        inputShape: [1, 6, 6],
        inputKind: 'float',
        layers: [
          { type: 'conv2d', filters: 2, kernel: 3, padding: 'same' },
          { type: 'maxpool2d', size: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ],
      },
      loss: 'cross-entropy',
      optimizer: { type: 'sgd', learningRate: 0.1 },
      batchSize: 2,
      seed: 1,
      device: 'webgpu',
    },
    new ParamStore(1),
  );
  const pools = (webgpu: boolean) =>
    buildTrainGraph(plan, { webgpu })
      .nodes.filter((n) => n.opType === 'MaxPool')
      .map((n) => n.outputs.filter(Boolean).length);
  assert.deepEqual(pools(true), [1]);
  assert.deepEqual(pools(false), [2]);
});

test('the gradient rule table refuses a key given twice instead of keeping the last rule', () => {
  const rule = () => [];
  assert.throws(() => ruleTable([{ Add: rule }, { Add: rule }]), /two gradient rules for Add/);
  assert.deepEqual([...ruleTable([{ Add: rule }, { gelu: rule }]).keys()], ['Add', 'gelu']);
  // Op types and composites (the recurrent Scans among them) share the one table; a bare Scan has no rule.
  for (const key of ['Conv', 'conv2d', 'batchNorm', 'gelu', 'lstm', 'gru'])
    assert.ok(GRADIENT_RULES.has(key), key);
  assert.ok(!GRADIENT_RULES.has('Scan'));
});
