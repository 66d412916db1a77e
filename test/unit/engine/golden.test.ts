// Golden regression suite: gradients of small fixed cases, stored once in golden/gradients.json
// (after the finite-difference checks passed) and compared on every run. Catches kernel or rule
// regressions that still look plausible, e.g. a racing scatter that gives run-to-run different values.
// Regenerate deliberately with: UPDATE_GOLDEN=1 node --import tsx --test test/unit/engine/golden.test.ts
// (then npx prettier --write test/unit/engine/golden).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Layer } from '../../../src/contract/experiment';
import type { GraphBuilder, Value } from '../../../src/engine/graph/builder';
import { Rng } from '../../../src/engine/init';
import { buildForward } from '../../../src/engine/layers';
import { buildLoss } from '../../../src/engine/model/losses';
import { ParamBinder, ParamStore } from '../../../src/engine/model/params';
import { distinct, gradientProblem, type InputSpec } from './gradcheck';

interface GoldenCase {
  build: (b: GraphBuilder, xs: Value[]) => Value;
  specs: (rng: Rng) => InputSpec[];
}

interface Golden {
  loss: number;
  grads: number[][];
}

const ids = (values: number[]) => BigInt64Array.from(values.map(BigInt));
const layers =
  (list: Layer[]) =>
  (b: GraphBuilder, [x]: Value[]) =>
    buildForward(list, x, { b, mode: 'eval', params: new ParamBinder(new ParamStore(11), b, 'initializer') })
      .output;

const CASES: Record<string, GoldenCase> = {
  'conv stride 2, padding 1, bias': {
    build: (b, [x, w, bias]) => b.op('Conv', [x, w, bias], { strides: [2, 2], pads: [1, 1, 1, 1] })[0],
    specs: () => [{ shape: [2, 3, 7, 7] }, { shape: [4, 3, 3, 3] }, { shape: [4] }],
  },
  'overlapping max pool': {
    build: (b, [x]) => b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2] })[0],
    specs: (rng) => [{ shape: [2, 3, 9, 9], data: distinct(rng, 486) }],
  },
  'average pool': {
    build: (b, [x]) => b.op('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] })[0],
    specs: () => [{ shape: [2, 2, 6, 6] }],
  },
  'embedding gather with repeated ids': {
    build: (b, [w, i]) => b.op('Gather', [w, i], { axis: 0 })[0],
    specs: () => [
      { shape: [6, 4] },
      {
        shape: [4, 5],
        dtype: 'int64',
        data: ids([0, 1, 1, 5, 2, 2, 2, 3, 0, 5, 4, 4, 1, 1, 0, 5, 5, 5, 3, 2]),
      },
    ],
  },
  'layer normalization': {
    build: (b, [x, g, bias]) => b.op('LayerNormalization', [x, g, bias], { axis: -1, epsilon: 1e-5 })[0],
    specs: () => [{ shape: [3, 5] }, { shape: [5] }, { shape: [5] }],
  },
  'cross-entropy with label smoothing': {
    build: (b, [z, y]) => buildLoss(b, 'cross-entropy', z, y, 0.1).mean,
    specs: () => [
      { shape: [4, 3, 5] },
      { shape: [4, 3], dtype: 'int64', data: ids([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 4, 4]) },
    ],
  },
  'bce with logits': {
    build: (b, [z, y]) => buildLoss(b, 'bce-with-logits', z, y).mean,
    specs: () => [
      { shape: [4, 2] },
      { shape: [4, 2], data: Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]), wrt: false },
    ],
  },
  'causal self-attention layer': {
    build: layers([{ type: 'attention', heads: 2, causal: true }]),
    specs: () => [{ shape: [2, 5, 4] }],
  },
  'transformer block': {
    build: layers([{ type: 'transformer', heads: 2, ffDim: 6 }]),
    specs: () => [{ shape: [2, 3, 4] }],
  },
};

const FILE = join(__dirname, 'golden', 'gradients.json');
const update = process.env.UPDATE_GOLDEN === '1';
const stored: Record<string, Golden> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {};
const fresh: Record<string, Golden> = {};

async function compute(c: GoldenCase): Promise<Golden> {
  const rng = new Rng(2024);
  const problem = await gradientProblem(c.build, c.specs(rng), rng);
  const { loss, grads } = await problem.run();
  await problem.release();
  return { loss, grads: grads.map((g) => Array.from(g, (v) => Number(v.toPrecision(8)))) };
}

for (const [name, c] of Object.entries(CASES)) {
  test(`golden gradients: ${name}`, async () => {
    const got = await compute(c);
    if (update) {
      fresh[name] = got;
      return;
    }
    const want = stored[name];
    assert.ok(
      want,
      `no golden for "${name}": run UPDATE_GOLDEN=1 once after the finite-difference checks pass`,
    );
    assert.ok(
      Math.abs(got.loss - want.loss) <= 1e-5 * (1 + Math.abs(want.loss)),
      `loss ${got.loss} vs ${want.loss}`,
    );
    assert.equal(got.grads.length, want.grads.length);
    got.grads.forEach((g, k) => {
      const scale = Math.max(...want.grads[k].map(Math.abs), 1e-6);
      g.forEach((v, i) =>
        assert.ok(
          Math.abs(v - want.grads[k][i]) <= 1e-5 * scale,
          `gradient ${k}[${i}]: ${v} vs ${want.grads[k][i]}`,
        ),
      );
    });
  });
}

if (update) test.after(() => writeFileSync(FILE, `${JSON.stringify(fresh, null, 1)}\n`));
