// Optimizer updates against a plain JavaScript reference of PyTorch's rules, on linear regression.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { OptimizerConfig } from '../../../src/contract/experiment';
import { compileModel } from '../../../src/engine';
import { Rng } from '../../../src/engine/init';
import { options } from './fixtures';

const B = 8;
const F = 3;
const rng = new Rng(5);
const x = Float32Array.from({ length: B * F }, () => rng.normal());
const y = Float32Array.from({ length: B }, () => rng.normal());

/** Gradient of mean((x·w + b − y)²) with respect to [w…, b]. */
function gradient(p: number[]): number[] {
  const g = new Array<number>(F + 1).fill(0);
  for (let i = 0; i < B; i++) {
    let pred = p[F];
    for (let j = 0; j < F; j++) pred += x[i * F + j] * p[j];
    const d = (2 * (pred - y[i])) / B;
    for (let j = 0; j < F; j++) g[j] += d * x[i * F + j];
    g[F] += d;
  }
  return g;
}

const norm = (g: number[]) => Math.sqrt(g.reduce((a, gi) => a + gi * gi, 0));

function reference(config: OptimizerConfig, p: number[], steps: number, lr: number, clip?: number): number[] {
  const [b1, b2] = config.betas ?? [0.9, 0.999];
  const wd = config.weightDecay ?? 0;
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  p = [...p];
  for (let t = 1; t <= steps; t++) {
    let g = gradient(p);
    if (clip !== undefined) {
      const scale = Math.min(1, clip / (norm(g) + 1e-6));
      g = g.map((gi) => gi * scale);
    }
    if (wd && config.type !== 'adamw') g = g.map((gi, i) => gi + wd * p[i]);
    if (config.type === 'sgd') {
      p = p.map((pi, i) => {
        m[i] = (config.momentum ?? 0) * m[i] + g[i];
        return pi - lr * m[i];
      });
      continue;
    }
    if (config.type === 'adamw') p = p.map((pi) => pi * (1 - lr * wd));
    p = p.map((pi, i) => {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + 1e-8;
      return pi - (lr / (1 - b1 ** t)) * (m[i] / denom);
    });
  }
  return p;
}

const cases: { config: OptimizerConfig; clip?: number }[] = [
  { config: { type: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 } },
  { config: { type: 'adam', learningRate: 0.1, betas: [0.8, 0.95], weightDecay: 0.05 } },
  { config: { type: 'adamw', learningRate: 0.1, weightDecay: 0.1 } },
  { config: { type: 'sgd', learningRate: 0.1 }, clip: 0.5 },
  // Adam and AdamW fold the clipping factor into their scalars; with coupled decay they cannot.
  { config: { type: 'adam', learningRate: 0.1 }, clip: 0.1 },
  { config: { type: 'adam', learningRate: 0.1, betas: [0.8, 0.95], weightDecay: 0.05 }, clip: 0.1 },
  { config: { type: 'adamw', learningRate: 0.1, weightDecay: 0.1 }, clip: 0.1 },
];

for (const { config, clip } of cases) {
  const decay = config.weightDecay ? ' with weight decay' : '';
  test(`${config.type}${decay}${clip ? ' and global-norm clipping' : ''} matches the reference update over 4 steps`, async () => {
    const model = await compileModel(
      options(
        { inputShape: [F], inputKind: 'float', layers: [{ type: 'dense', units: 1 }] },
        { loss: 'mse', optimizer: config, batchSize: B, clipNorm: clip },
      ),
    );
    const start = await model.getState();
    const p0 = [...start.tensors['layer0.dense.weight'].data, ...start.tensors['layer0.dense.bias'].data];
    await model.train(
      Array.from({ length: 4 }, () => ({ x, y })),
      [0.1, 0.1, 0.1, 0.1],
    );
    const end = await model.getState();
    const p = [...end.tensors['layer0.dense.weight'].data, ...end.tensors['layer0.dense.bias'].data];
    if (clip !== undefined) assert.ok(norm(gradient(p0)) > clip, 'the case must actually clip');
    const expected = reference(config, p0, 4, 0.1, clip);
    p.forEach((pi, i) =>
      assert.ok(Math.abs(pi - expected[i]) < 1e-5, `parameter ${i}: ${pi} vs ${expected[i]}`),
    );
    assert.equal(end.step, 4);
    assert.ok(
      p.some((pi, i) => Math.abs(pi - p0[i]) > 1e-3),
      'parameters moved',
    );
    await model.dispose();
  });
}
