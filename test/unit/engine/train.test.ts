// Train-to-target: tiny real tasks where the loss must fall and accuracy pass a stated bar.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { compileModel } from '../../../src/engine';
import { argmaxAccuracy, barImages, options, slice, xorData } from './fixtures';

test('an MLP learns XOR-like quadrants: loss falls, held-out accuracy ≥ 95 %', async () => {
  const model = await compileModel(
    options({
      inputShape: [2],
      inputKind: 'float',
      layers: [
        { type: 'dense', units: 16, activation: 'tanh' },
        { type: 'dense', units: 2 },
      ],
    }),
  );
  const train = xorData(320, 1);
  const test = xorData(200, 2);
  const losses: number[] = [];
  for (let epoch = 0; epoch < 15; epoch++) {
    const batches = Array.from({ length: 20 }, (_, i) => ({
      x: slice(train.x, 2, i * 16, 16),
      y: slice(train.y, 1, i * 16, 16),
    }));
    losses.push(
      ...(await model.train(
        batches,
        batches.map(() => 0.03),
      )),
    );
  }
  const head = losses.slice(0, 20).reduce((a, b) => a + b) / 20;
  const tail = losses.slice(-20).reduce((a, b) => a + b) / 20;
  assert.ok(tail < head / 4, `loss fell from ${head} to ${tail}`);
  const accuracy = argmaxAccuracy(await model.predict(test.x, 200), 2, test.y);
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
  await model.dispose();
});

test('a small CNN tells bar orientations apart: held-out accuracy ≥ 90 %', async () => {
  const model = await compileModel(
    options({
      inputShape: [1, 8, 8],
      inputKind: 'float',
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'maxpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
    }),
  );
  const train = barImages(192, 3);
  const test = barImages(90, 4);
  const first = await model.evaluateLoss({ x: test.x, y: test.y }, 90);
  for (let epoch = 0; epoch < 6; epoch++) {
    const batches = Array.from({ length: 12 }, (_, i) => ({
      x: slice(train.x, 64, i * 16, 16),
      y: slice(train.y, 1, i * 16, 16),
    }));
    await model.train(
      batches,
      batches.map(() => 0.01),
    );
  }
  const last = await model.evaluateLoss({ x: test.x, y: test.y }, 90);
  assert.ok(last < first / 3, `held-out loss fell from ${first} to ${last}`);
  const accuracy = argmaxAccuracy(await model.predict(test.x, 90), 3, test.y);
  assert.ok(accuracy >= 0.9, `held-out accuracy ${accuracy}`);
  await model.dispose();
});

test('a tiny causal transformer learns a repeated string: next-character accuracy ≥ 90 %', async () => {
  const text = 'the cat sat on the mat. ';
  const vocab = [...new Set(text)].sort();
  const T = 8;
  const model = await compileModel(
    options(
      {
        inputShape: [T],
        inputKind: 'tokens',
        layers: [
          { type: 'embedding', vocabSize: vocab.length, dim: 16, positional: 'sinusoidal' },
          { type: 'transformer', heads: 2, ffDim: 32, causal: true },
          { type: 'layernorm' },
          { type: 'dense', units: vocab.length },
        ],
      },
      { batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, fusedSteps: 5 },
    ),
  );
  const ids = (start: number, n: number) =>
    BigInt64Array.from({ length: n }, (_, i) => BigInt(vocab.indexOf(text[(start + i) % text.length])));
  const window = (start: number) => ({ x: ids(start, T), y: ids(start + 1, T) });
  const batch = (step: number) => {
    const examples = Array.from({ length: 8 }, (_, i) => window((step * 8 + i * 5) % text.length));
    return { x: concat(examples.map((e) => e.x)), y: concat(examples.map((e) => e.y)) };
  };
  const losses = await model.train(
    Array.from({ length: 60 }, (_, s) => batch(s)),
    Array.from({ length: 60 }, () => 0.01),
  );
  assert.ok(losses[59] < losses[0] / 5, `loss fell from ${losses[0]} to ${losses[59]}`);
  const probes = Array.from({ length: text.length }, (_, s) => window(s));
  const outputs = await model.predict(concat(probes.map((p) => p.x)), probes.length);
  const labels = concat(probes.map((p) => p.y));
  const accuracy = argmaxAccuracy(outputs, vocab.length, labels);
  assert.ok(accuracy >= 0.9, `next-character accuracy ${accuracy}`);
  await model.dispose();
});

function concat(parts: BigInt64Array[]): BigInt64Array {
  const out = new BigInt64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
