// Training dynamics from the train-step graph against an independent float64 recomputation:
// the gradients of the weights that getState() returned before the step, worked out by hand
// (forward and backward of the model in plain JavaScript doubles), and the update read from
// getState() after it.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DYNAMICS_PERCENTILES, percentileIndex } from '../../../src/contract/dynamicsRecord';
import type { Layer, OptimizerConfig } from '../../../src/contract/experiment';
import { compileModel, type TrainingState } from '../../../src/engine';
import { Rng } from '../../../src/engine/init';
import { options } from './fixtures';

type Tensors = Record<string, Float64Array>;

const B = 6;
const CLASSES = 3;

/** Mean cross-entropy's gradient with respect to the logits z [B, C]: (softmax(z) − onehot(y)) / B. */
function logitGradient(z: Float64Array, y: BigInt64Array): Float64Array {
  const dz = new Float64Array(z.length);
  for (let n = 0; n < B; n++) {
    const row = z.subarray(n * CLASSES, (n + 1) * CLASSES);
    const max = Math.max(...row);
    const exps = Array.from(row, (v) => Math.exp(v - max));
    const sum = exps.reduce((a, e) => a + e, 0);
    for (let c = 0; c < CLASSES; c++)
      dz[n * CLASSES + c] = (exps[c] / sum - (Number(y[n]) === c ? 1 : 0)) / B;
  }
  return dz;
}

/** Dense forward x[B, I]·W[I, O] + b and, given dy, the gradients of W, b and x. */
function dense(x: Float64Array, w: Float64Array, bias: Float64Array, inputs: number, units: number) {
  const y = new Float64Array(B * units);
  for (let n = 0; n < B; n++)
    for (let o = 0; o < units; o++) {
      let sum = bias[o];
      for (let i = 0; i < inputs; i++) sum += x[n * inputs + i] * w[i * units + o];
      y[n * units + o] = sum;
    }
  const backward = (dy: Float64Array) => {
    const dw = new Float64Array(w.length);
    const db = new Float64Array(units);
    const dx = new Float64Array(x.length);
    for (let n = 0; n < B; n++)
      for (let o = 0; o < units; o++) {
        const g = dy[n * units + o];
        db[o] += g;
        for (let i = 0; i < inputs; i++) {
          dw[i * units + o] += x[n * inputs + i] * g;
          dx[n * inputs + i] += w[i * units + o] * g;
        }
      }
    return { dw, db, dx };
  };
  return { y, backward };
}

const relu = (v: Float64Array) => v.map((e) => Math.max(0, e));
const reluBack = (pre: Float64Array, dy: Float64Array) => dy.map((g, i) => (pre[i] > 0 ? g : 0));

/** dense(5, relu) → dense(3): gradients of every parameter for inputs x [B, 4]. */
function mlpGradients(p: Tensors, x: Float64Array, y: BigInt64Array): Tensors {
  const first = dense(x, p['layer0.dense.weight'], p['layer0.dense.bias'], 4, 5);
  const second = dense(relu(first.y), p['layer1.dense.weight'], p['layer1.dense.bias'], 5, CLASSES);
  const top = second.backward(logitGradient(second.y, y));
  const bottom = first.backward(reluBack(first.y, top.dx));
  return {
    'layer0.dense.weight': bottom.dw,
    'layer0.dense.bias': bottom.db,
    'layer1.dense.weight': top.dw,
    'layer1.dense.bias': top.db,
  };
}

/** conv2d(2 filters, 3×3, same padding, relu) on [1, 5, 5] → flatten → dense(3), by direct loops. */
function cnnGradients(p: Tensors, x: Float64Array, y: BigInt64Array): Tensors {
  const [F, S, K] = [2, 5, 3];
  const w = p['layer0.conv2d.weight'];
  const pixel = (n: number, i: number, j: number) =>
    i < 0 || j < 0 || i >= S || j >= S ? 0 : x[n * S * S + i * S + j];
  const pre = new Float64Array(B * F * S * S);
  for (let n = 0; n < B; n++)
    for (let f = 0; f < F; f++)
      for (let i = 0; i < S; i++)
        for (let j = 0; j < S; j++) {
          let sum = p['layer0.conv2d.bias'][f];
          for (let a = 0; a < K; a++)
            for (let c = 0; c < K; c++) sum += w[f * K * K + a * K + c] * pixel(n, i + a - 1, j + c - 1);
          pre[((n * F + f) * S + i) * S + j] = sum;
        }
  const flat = F * S * S;
  const head = dense(relu(pre), p['layer2.dense.weight'], p['layer2.dense.bias'], flat, CLASSES);
  const top = head.backward(logitGradient(head.y, y));
  const dpre = reluBack(pre, top.dx);
  const dw = new Float64Array(w.length);
  const db = new Float64Array(F);
  for (let n = 0; n < B; n++)
    for (let f = 0; f < F; f++)
      for (let i = 0; i < S; i++)
        for (let j = 0; j < S; j++) {
          const g = dpre[((n * F + f) * S + i) * S + j];
          db[f] += g;
          for (let a = 0; a < K; a++)
            for (let c = 0; c < K; c++) dw[f * K * K + a * K + c] += g * pixel(n, i + a - 1, j + c - 1);
        }
  return {
    'layer0.conv2d.weight': dw,
    'layer0.conv2d.bias': db,
    'layer2.dense.weight': top.dw,
    'layer2.dense.bias': top.db,
  };
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, e) => a + e * e, 0));

function assertRelative(actual: number, expected: number, what: string, tolerance = 1e-4): void {
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-30);
  assert.ok(error <= tolerance, `${what}: ${actual} vs float64 ${expected} (relative error ${error})`);
}

const asDoubles = (state: TrainingState, name: string) => Float64Array.from(state.tensors[name].data);

function percentilesOf(values: ArrayLike<number>): number[] {
  const sorted = Array.from(values).sort((a, b) => a - b);
  return DYNAMICS_PERCENTILES.map((level) => sorted[percentileIndex(level, sorted.length)]);
}

interface Case {
  name: string;
  inputShape: number[];
  layers: Layer[];
  gradients: (p: Tensors, x: Float64Array, y: BigInt64Array) => Tensors;
  optimizer: OptimizerConfig;
  clipNorm?: number;
}

const cases: Case[] = [
  {
    name: 'an MLP with SGD',
    inputShape: [4],
    layers: [
      { type: 'dense', units: 5, activation: 'relu' },
      { type: 'dense', units: CLASSES },
    ],
    gradients: mlpGradients,
    optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
  },
  {
    name: 'a CNN with Adam and gradient clipping',
    inputShape: [1, 5, 5],
    layers: [
      { type: 'conv2d', filters: 2, kernel: 3, padding: 'same', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: CLASSES },
    ],
    gradients: cnnGradients,
    optimizer: { type: 'adam', learningRate: 0.01 },
    clipNorm: 0.05,
  },
];

for (const c of cases) {
  test(`dynamics of ${c.name} equal a float64 recomputation from getState() within 1e-4 relative`, async () => {
    const compile = () =>
      compileModel(
        options(
          { inputShape: c.inputShape, inputKind: 'float', layers: c.layers },
          { optimizer: c.optimizer, batchSize: B, clipNorm: c.clipNorm },
        ),
      );
    const rng = new Rng(11);
    const size = c.inputShape.reduce((a, d) => a * d, 1);
    const batches = Array.from({ length: 4 }, () => ({
      x: Float32Array.from({ length: B * size }, () => rng.normal()),
      y: BigInt64Array.from({ length: B }, (_, n) => BigInt(n % CLASSES)),
    }));
    const rates = [0.1, 0.1, 0.1, 0.1];
    // Three plain steps first, so weights, biases and optimizer moments are not at their start
    // values; the fourth step is recorded alone. A twin records the same fourth step as the
    // last of one fused call of four (its first three are the Loop, the fourth follows it).
    const alone = await compile();
    await alone.train(batches.slice(0, 3), rates.slice(0, 3));
    const before = await alone.getState();
    const single = await alone.trainWithDynamics(batches.slice(3), rates.slice(3));
    const after = await alone.getState();
    const twin = await compile();
    const fused = await twin.trainWithDynamics(batches, rates);
    assert.deepEqual(fused.losses.slice(3), single.losses);

    const data = batches[3];
    const names = Object.keys(before.tensors).filter((n) => !/\.(m|v|velocity)$/.test(n));
    const p = Object.fromEntries(names.map((n) => [n, asDoubles(before, n)]));
    const grads = c.gradients(p, Float64Array.from(data.x), data.y);
    const globalNorm = norm(names.flatMap((n) => Array.from(grads[n])));
    const scale = c.clipNorm === undefined ? 1 : Math.min(1, c.clipNorm / (globalNorm + 1e-6));
    if (c.clipNorm !== undefined) assert.ok(scale < 1, 'the case must actually clip');

    for (const dynamics of [single.dynamics, fused.dynamics]) {
      assert.deepEqual(
        dynamics.params.map((d) => d.name),
        names,
      );
      assertRelative(dynamics.gradNorm, globalNorm, 'global gradient norm');
      assertRelative(dynamics.clippedGradNorm, globalNorm * scale, 'global clipped gradient norm');
      for (const d of dynamics.params) {
        const g = grads[d.name];
        assertRelative(d.gradNorm, norm(g), `${d.name} gradient norm`);
        assertRelative(d.clippedGradNorm, norm(g) * scale, `${d.name} clipped gradient norm`);
        assertRelative(d.weightNorm, norm(p[d.name]), `${d.name} weight norm`);
        const moved = asDoubles(after, d.name).map((v, i) => v - p[d.name][i]);
        assertRelative(d.updateNorm, norm(moved), `${d.name} update norm`);
        assert.deepEqual(
          d.weights,
          percentilesOf(after.tensors[d.name].data),
          `${d.name} weight percentiles`,
        );
        const gradBands = percentilesOf(g);
        const spread = Math.max(...gradBands.map(Math.abs));
        d.grads.forEach((v, i) =>
          assert.ok(
            Math.abs(v - gradBands[i]) <= 1e-4 * spread,
            `${d.name} gradient percentile ${DYNAMICS_PERCENTILES[i]}: ${v} vs ${gradBands[i]}`,
          ),
        );
      }
    }
    await Promise.all([alone.dispose(), twin.dispose()]);
  });
}

test('steps with dynamics make exactly the updates plain steps make', async () => {
  const compile = () =>
    compileModel(
      options(
        { inputShape: [4], inputKind: 'float', layers: [{ type: 'dense', units: CLASSES }] },
        { batchSize: B, fusedSteps: 2, clipNorm: 1 },
      ),
    );
  const rng = new Rng(3);
  const batches = Array.from({ length: 7 }, () => ({
    x: Float32Array.from({ length: B * 4 }, () => rng.normal()),
    y: BigInt64Array.from({ length: B }, (_, n) => BigInt(n % CLASSES)),
  }));
  const rates = batches.map((_, i) => 0.05 / (i + 1));
  const plain = await compile();
  const plainLosses = await plain.train(batches, rates);
  const recorded = await compile();
  const losses = await recorded.train(batches.slice(0, 2), rates.slice(0, 2));
  losses.push(...(await recorded.trainWithDynamics(batches.slice(2, 5), rates.slice(2, 5))).losses);
  losses.push(...(await recorded.trainWithDynamics(batches.slice(5, 6), rates.slice(5, 6))).losses);
  losses.push(...(await recorded.train(batches.slice(6), rates.slice(6))));
  assert.deepEqual(losses, plainLosses);
  assert.deepEqual((await recorded.getState()).tensors, (await plain.getState()).tensors);
  await Promise.all([plain.dispose(), recorded.dispose()]);
});
