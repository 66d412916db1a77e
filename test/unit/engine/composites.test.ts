// Finite-difference checks of composed blocks: losses, attention, transformer block, optimizers' inputs.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Layer } from '../../../src/contract/experiment';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { gradients } from '../../../src/engine/autodiff/backward';
import { liveNodes } from '../../../src/engine/graph/liveNodes';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { Rng } from '../../../src/engine/init';
import { layerNorm, linear, normalizedLinear } from '../../../src/engine/layers/basic';
import type { LayerContext } from '../../../src/engine/layers/context';
import { buildForward } from '../../../src/engine/layers';
import { avgpool2d, conv2d, maxpool2d } from '../../../src/engine/layers/conv';
import { buildLoss } from '../../../src/engine/model/losses';
import { ParamBinder, ParamStore } from '../../../src/engine/model/params';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { checkGradients, gradientProblem } from './gradcheck';

const classIds = (values: number[]) => BigInt64Array.from(values.map(BigInt));

/** Layers with their parameters baked in as constants; the check differentiates the input. */
function layers(list: Layer[]) {
  return (b: GraphBuilder, [x]: Value[]) =>
    buildForward(list, x, { b, mode: 'eval', params: new ParamBinder(new ParamStore(3), b, 'initializer') })
      .output;
}

test('cross-entropy (with and without label smoothing) on per-position logits', async () => {
  for (const smoothing of [0, 0.1]) {
    await checkGradients(
      (b, [z, y]) => buildLoss(b, 'cross-entropy', z, y, smoothing).mean,
      [{ shape: [2, 3, 5] }, { shape: [2, 3], dtype: 'int64', data: classIds([0, 4, 2, 2, 1, 3]) }],
    );
  }
});

test('MSE and BCE-with-logits, including large logits where the naive form overflows', async () => {
  await checkGradients(
    (b, [p, y]) => buildLoss(b, 'mse', p, y).mean,
    [{ shape: [4, 2] }, { shape: [4, 2], wrt: false }],
  );
  const large = Float32Array.from([30, -30, 0.5, -0.7, 12, -15]);
  await checkGradients(
    (b, [z, y]) => buildLoss(b, 'bce-with-logits', z, y).mean,
    [
      { shape: [3, 2], data: large },
      { shape: [3, 2], data: Float32Array.from([1, 0, 1, 0, 0, 1]), wrt: false },
    ],
  );
});

test('causal multi-head self-attention and the pre-norm transformer block', async () => {
  await checkGradients(layers([{ type: 'attention', heads: 2, causal: true }]), [{ shape: [2, 4, 6] }]);
  await checkGradients(layers([{ type: 'transformer', heads: 2, ffDim: 8 }]), [{ shape: [2, 3, 4] }]);
});

test('attention in training graphs: scores from one FusedMatMul on the CPU, softmax and product one composite; the same gradients', async () => {
  for (const contribOps of [true, false]) {
    const train =
      (list: Layer[]) =>
      (b: GraphBuilder, [x]: Value[]) => {
        b.contribOps = contribOps;
        const params = new ParamBinder(new ParamStore(3), b, 'initializer');
        const output = buildForward(list, x, { b, mode: 'train', params }).output;
        const fused = b.nodes.some((n) => n.opType === 'FusedMatMul' && n.domain === 'com.microsoft');
        assert.equal(fused, contribOps);
        assert.ok(b.nodes.some((n) => n.composite?.rule === 'attentionMix'));
        return output;
      };
    await checkGradients(train([{ type: 'attention', heads: 2, causal: true }]), [{ shape: [2, 4, 6] }]);
    await checkGradients(train([{ type: 'transformer', heads: 2, ffDim: 8, causal: true }]), [
      { shape: [2, 3, 4] },
    ]);
  }
});

test('dense, conv2d, pools and layer norm composed as layers', async () => {
  await checkGradients(
    layers([
      { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'tanh' },
      { type: 'avgpool2d', size: 2 },
      { type: 'flatten' },
      { type: 'layernorm' },
      { type: 'dense', units: 4, activation: 'gelu' },
    ]),
    [{ shape: [2, 2, 6, 6] }],
  );
});

test('a ReLU convolution then max pooling gives PyTorch’s gradient where windows tie or hold no positive value', async () => {
  // A 1×1 identity convolution, so its output is x: windows with positive ties, all negative,
  // a zero maximum, zeros among negatives, and one positive maximum.
  const shape = [2, 2, 4, 4];
  const windows = [
    [0.5, 0.5, 0.5, 0.5],
    [-1, -2, -0.5, -3],
    [0, -1, 0, -2],
    [-1, 0, -1, 0],
    [0.25, 2, 2, -1],
    [3, -1, 3, 0],
    [-0.5, 0, 0.75, 0.75],
    [1.5, 1.5, -1, 2],
  ];
  const [n, ch, h, w] = shape;
  const x = new Float32Array(n * ch * h * w);
  const at = (plane: number, i: number, j: number, k: number) =>
    plane * h * w + (i * 2 + (k >> 1)) * w + j * 2 + (k & 1);
  for (let plane = 0; plane < n * ch; plane++)
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        windows[(plane * 4 + i * 2 + j) % windows.length].forEach((v, k) => (x[at(plane, i, j, k)] = v));
  const r = Float32Array.from({ length: n * ch * 4 }, (_, i) => 1 + i);
  const b = new GraphBuilder();
  const xv = b.input('x', 'float32', shape);
  const weight = b.constant([1, 0, 0, 1], [ch, ch, 1, 1]);
  const bias = b.constant([0, 0], [ch]);
  const conv: Extract<Layer, { type: 'conv2d' }> = {
    type: 'conv2d',
    filters: ch,
    kernel: 1,
    activation: 'relu',
  };
  const pooled = maxpool2d(
    contextWith(b, {}),
    { type: 'maxpool2d', size: 2 },
    conv2d(contextWith(b, { weight, bias }), conv, xv),
  );
  // The pooling and the ReLU before it are differentiated as one.
  const pool = b.nodes.find((node) => node.opType === 'MaxPool')!;
  assert.equal(pool.composite?.rule, 'reluMaxPool');
  const loss = b.output(b.reduceSum(b.mul(pooled, b.constant(Array.from(r), pooled.shape)), []), 'loss');
  b.output(gradients(b, loss, [xv]).get('x')!, 'dx');
  b.output(pooled, 'y');
  const session = await openSession(serializeModel(b));
  const out = await session.run({ x: tensor('float32', x, shape) });
  await session.release();
  // PyTorch: max_pool2d(relu(x)) routes dY to the first maximum of relu(x) in row-major order,
  // and relu passes it where x > 0.
  const expectedY: number[] = [];
  const expectedDx = new Float32Array(x.length);
  for (let plane = 0; plane < n * ch; plane++)
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let best = 0;
        for (let k = 1; k < 4; k++)
          if (Math.max(x[at(plane, i, j, k)], 0) > Math.max(x[at(plane, i, j, best)], 0)) best = k;
        expectedY.push(Math.max(x[at(plane, i, j, best)], 0));
        if (x[at(plane, i, j, best)] > 0) expectedDx[at(plane, i, j, best)] = r[plane * 4 + i * 2 + j];
      }
  assert.deepEqual(Array.from(out.y.data as Float32Array), expectedY);
  assert.deepEqual(
    Array.from(out.dx.data as Float32Array, (v) => v + 0),
    Array.from(expectedDx),
  );
});

/** A layer context whose parameters are the given graph values, by their last name part. */
function contextWith(b: GraphBuilder, byName: Record<string, Value>): LayerContext {
  return {
    b,
    mode: 'train',
    index: 0,
    contextLength: 3,
    param: (name) => byName[name.slice(name.lastIndexOf('.') + 1)],
    dropout: (v) => v,
    recordAttention: () => undefined,
  };
}

/** Runs the graph `pair` builds over the specs' values: its folded and plain forms agree to 1e-5. */
async function assertSameOutputs(
  specs: { shape: number[]; data: Float32Array }[],
  pair: (b: GraphBuilder, values: Value[]) => [Value, Value],
): Promise<void> {
  const b = new GraphBuilder();
  const [folded, plain] = pair(
    b,
    specs.map((s, i) => b.input(`v${i}`, 'float32', s.shape)),
  );
  b.output(folded, 'folded');
  b.output(plain, 'plain');
  const session = await openSession(serializeModel(b));
  const out = await session.run(
    Object.fromEntries(specs.map((s, i) => [`v${i}`, tensor('float32', s.data, s.shape)])),
  );
  assert.deepEqual(out.folded.dims, out.plain.dims);
  const expected = out.plain.data as Float32Array;
  (out.folded.data as Float32Array).forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) < 1e-5, `output ${i}: ${v} vs ${expected[i]}`),
  );
}

test('layer norm folded into the next linear: same outputs as linear(layerNorm(x)); gradients of x, γ, β, W, b', async () => {
  const rng = new Rng(5);
  const specs = [[2, 3, 4], [4], [4], [4, 5], [5]].map((shape) => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.normal()),
  }));
  const folded = (b: GraphBuilder, [x, gamma, beta, weight, bias]: Value[]) =>
    normalizedLinear(contextWith(b, { gamma, beta, weight, bias }), x, 'ln', 5, 'linear');
  await checkGradients(folded, specs);
  // The training graph differentiates norm and product as one composite, also with the Gemm's
  // alpha (the feed-forward's GELU constant).
  await checkGradients((b, [x, gamma, beta, weight, bias]) => {
    const y = normalizedLinear(contextWith(b, { gamma, beta, weight, bias }), x, 'ln', 5, 'linear', false, {
      output: Math.SQRT1_2,
    });
    assert.ok(b.nodes.some((n) => n.opType === 'Gemm' && n.composite?.rule === 'normalizedLinear'));
    return y;
  }, specs);

  await assertSameOutputs(specs, (b, [x, gamma, beta, weight, bias]) => {
    const c = contextWith(b, { gamma, beta, weight, bias });
    return [folded(b, [x, gamma, beta, weight, bias]), linear(c, layerNorm(c, x, 'ln'), 5, 'linear')];
  });
});

test('a normalized linear with many rows adds its bias after the Gemm: same loss and gradients as linear(layerNorm(x))', async () => {
  // 2048 rows of 32 units: past the size where the bias leaves the Gemm (layers/basic.ts
  // biasedProduct), so the composite differentiates a Gemm without bias and the Add gives db.
  const specs = [[64, 32, 8], [8], [8], [8, 32], [32]].map((shape) => ({ shape }));
  const composite = (b: GraphBuilder, [x, gamma, beta, weight, bias]: Value[]) => {
    const y = normalizedLinear(contextWith(b, { gamma, beta, weight, bias }), x, 'ln', 32, 'linear');
    const gemm = b.nodes.find((n) => n.composite?.rule === 'normalizedLinear');
    assert.equal(gemm?.inputs.length, 2, 'the Gemm adds no bias');
    return y;
  };
  const plain = (b: GraphBuilder, [x, gamma, beta, weight, bias]: Value[]) => {
    const c = contextWith(b, { gamma, beta, weight, bias });
    return linear(c, layerNorm(c, x, 'ln'), 32, 'linear');
  };
  // The same seed gives both problems the same inputs and the same random R in L = Σ y·R.
  const [ours, reference] = await Promise.all(
    [composite, plain].map(async (form) => {
      const problem = await gradientProblem(form, specs, new Rng(13));
      const result = await problem.run();
      await problem.release();
      return result;
    }),
  );
  assert.ok(Math.abs(ours.loss - reference.loss) <= 1e-4 * Math.abs(reference.loss));
  ours.grads.forEach((g, k) => {
    const expected = reference.grads[k];
    const scale = Math.max(...expected.map(Math.abs));
    g.forEach((v, i) =>
      assert.ok(Math.abs(v - expected[i]) <= 1e-4 * scale, `input ${k}[${i}]: ${v} vs ${expected[i]}`),
    );
  });
});

test('a layer norm before a dense layer folds into it in training graphs: same outputs; gradients of x, γ, β, W, b', async () => {
  const rng = new Rng(7);
  const specs = [[2, 3, 4], [4], [4], [4, 5], [5]].map((shape) => ({
    shape,
    data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.normal()),
  }));
  const list: Layer[] = [{ type: 'layernorm' }, { type: 'dense', units: 5, activation: 'tanh' }];
  const names = [
    'layer0.layernorm.gamma',
    'layer0.layernorm.beta',
    'layer1.dense.weight',
    'layer1.dense.bias',
  ];
  const forward = (b: GraphBuilder, [x, ...params]: Value[], mode: 'train' | 'eval') => {
    const provided = new Map(names.map((n, i) => [n, params[i]]));
    const binder = new ParamBinder(new ParamStore(3), b, 'input', provided);
    return buildForward(list, x, { b, mode, params: binder, dropoutKey: b.scalar(0, 'int64') }).output;
  };
  await checkGradients((b, values) => {
    const y = forward(b, values, 'train');
    assert.ok(b.nodes.some((n) => n.composite?.rule === 'normalizedLinear'));
    assert.ok(!b.nodes.some((n) => n.opType === 'LayerNormalization' && n.inputs.length === 3));
    return y;
  }, specs);

  await assertSameOutputs(specs, (b, values) => [forward(b, values, 'train'), forward(b, values, 'eval')]);
});

/**
 * Both forms of im2col (graph/im2col.ts): slices for every image (no image is at most 0 pixels),
 * and the gather-matrix product for every image.
 */
const IM2COL_FORMS = [
  { form: 'slices', productMaxArea: 0 },
  { form: 'product', productMaxArea: Infinity },
] as const;

/** `build` with the graph's im2col form set first (its gradient rules read it after). */
function withIm2colForm<A extends unknown[], R>(
  productMaxArea: number,
  build: (b: GraphBuilder, ...rest: A) => R,
) {
  return (b: GraphBuilder, ...rest: A): R => {
    b.root.im2colProductMaxArea = productMaxArea;
    return build(b, ...rest);
  };
}

test('conv2d trains by im2col, as slices and as products: same outputs as Conv; gradients of x, W and bias with stride, padding, dilation', async () => {
  const rng = new Rng(9);
  // Stride 1 takes dX over the batch stacked as one tall image: uneven 'same' pads, none, wider
  // than the kernel needs, and dilated, each with several images so a leak between them shows.
  const cases: { x: number[]; layer: Extract<Layer, { type: 'conv2d' }> }[] = [
    { x: [2, 3, 5, 5], layer: { type: 'conv2d', filters: 4, kernel: 3, padding: 'same' } },
    { x: [3, 2, 5, 4], layer: { type: 'conv2d', filters: 2, kernel: 2, padding: 'same' } },
    { x: [3, 2, 6, 5], layer: { type: 'conv2d', filters: 3, kernel: 3 } },
    { x: [2, 2, 4, 5], layer: { type: 'conv2d', filters: 2, kernel: 3, padding: 2 } },
    { x: [3, 1, 7, 6], layer: { type: 'conv2d', filters: 2, kernel: 3, dilation: 2, padding: 'same' } },
    { x: [1, 2, 8, 9], layer: { type: 'conv2d', filters: 3, kernel: 3, stride: 2, padding: 1 } },
    { x: [2, 2, 9, 8], layer: { type: 'conv2d', filters: 2, kernel: 2, stride: 2, dilation: 2 } },
  ];
  for (const { x: xShape, layer } of cases) {
    const specs = [xShape, [layer.filters, xShape[1], layer.kernel, layer.kernel], [layer.filters]].map(
      (shape) => ({
        shape,
        data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.normal()),
      }),
    );
    const convIn =
      (mode: 'train' | 'eval') =>
      (b: GraphBuilder, [x, weight, bias]: Value[]) =>
        conv2d({ ...contextWith(b, { weight, bias }), mode }, layer, x);
    for (const { form, productMaxArea } of IM2COL_FORMS) {
      const ops = (b: GraphBuilder) => new Set(b.nodes.map((n) => n.opType));
      await checkGradients(
        withIm2colForm(productMaxArea, (b, values: Value[]) => {
          const y = convIn('train')(b, values);
          assert.equal(ops(b).has('Slice'), form === 'slices', `${form} ${JSON.stringify(layer)}`);
          return y;
        }),
        specs,
      );
      await assertSameOutputs(
        specs,
        withIm2colForm(productMaxArea, (b, values: Value[]) => [
          convIn('train')(b, values),
          convIn('eval')(b, values),
        ]),
      );
    }
  }
});

test('conv2d layers hand channel-major images through activations and pools, with im2col as slices and as products: same outputs as Conv, gradients of x and every weight', async () => {
  const rng = new Rng(11);
  type Conv = Extract<Layer, { type: 'conv2d' }>;
  type Pool = Extract<Layer, { type: 'maxpool2d' | 'avgpool2d' }>;
  // The second convolution reads the pooled channel-major twin: stride 1 (dX over the stacked
  // batch) and stride 2 (ConvTranspose), after max and average pools; the max pools of a ReLU
  // (reluMaxPool) with disjoint and with overlapping windows.
  const cases: { x: number[]; first: Conv; pool: Pool; second: Conv }[] = [
    {
      x: [3, 2, 8, 8],
      first: { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'relu' },
      pool: { type: 'maxpool2d', size: 2 },
      second: { type: 'conv2d', filters: 2, kernel: 3, padding: 'same', activation: 'tanh' },
    },
    {
      x: [2, 3, 9, 8],
      first: { type: 'conv2d', filters: 4, kernel: 2, activation: 'gelu' },
      pool: { type: 'avgpool2d', size: 2 },
      second: { type: 'conv2d', filters: 3, kernel: 3, stride: 2, padding: 1 },
    },
    {
      x: [2, 2, 7, 7],
      first: { type: 'conv2d', filters: 2, kernel: 3, padding: 'same', activation: 'relu' },
      pool: { type: 'maxpool2d', size: 3, stride: 2 },
      second: { type: 'conv2d', filters: 2, kernel: 2, stride: 2, dilation: 1 },
    },
  ];
  for (const { x: xShape, first, pool, second } of cases) {
    const shapes = [
      xShape,
      [first.filters, xShape[1], first.kernel, first.kernel],
      [first.filters],
      [second.filters, first.filters, second.kernel, second.kernel],
      [second.filters],
    ];
    const specs = shapes.map((shape) => ({
      shape,
      data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.normal()),
    }));
    const chain =
      (mode: 'train' | 'eval') =>
      (b: GraphBuilder, [x, w1, b1, w2, b2]: Value[]) => {
        const h = conv2d({ ...contextWith(b, { weight: w1, bias: b1 }), mode }, first, x);
        const pooled = (pool.type === 'maxpool2d' ? maxpool2d : avgpool2d)(
          { ...contextWith(b, {}), mode },
          pool,
          h,
        );
        return conv2d({ ...contextWith(b, { weight: w2, bias: b2 }), mode }, second, pooled);
      };
    for (const { productMaxArea } of IM2COL_FORMS) {
      await checkGradients(withIm2colForm(productMaxArea, chain('train')), specs);
      await assertSameOutputs(
        specs,
        withIm2colForm(productMaxArea, (b, values: Value[]) => [
          chain('train')(b, values),
          chain('eval')(b, values),
        ]),
      );
    }

    // Only the first im2col's input and the last output change layout; the image-major forms
    // between the layers are read by nothing and not written.
    const b = new GraphBuilder();
    b.im2colProductMaxArea = 0;
    b.output(
      chain('train')(
        b,
        specs.map((s, i) => b.input(`v${i}`, 'float32', s.shape)),
      ),
    );
    assert.equal(liveNodes(b).filter((n) => n.opType === 'Transpose').length, 2);
  }
});
