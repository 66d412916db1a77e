// Recurrent models through compileModel: a task that needs memory across steps must be
// learned (single steps and Loop-fused steps), and the exported model must agree with predict.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { compileModel } from '../../../src/engine';
import type { Layer } from '../../../src/experiment/types';
import { Rng } from '../../../src/engine/init';
import { argmaxAccuracy, options, slice } from './fixtures';

const [T, VOCAB, CLASSES] = [8, 5, 3];

/** Token sequences whose class is their first token (0..2); the rest is noise. */
function firstTokenTask(n: number, seed: number): { x: BigInt64Array; y: BigInt64Array } {
  const rng = new Rng(seed);
  const x = new BigInt64Array(n * T);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % CLASSES;
    y[i] = BigInt(cls);
    x[i * T] = BigInt(cls);
    for (let t = 1; t < T; t++) x[i * T + t] = BigInt(Math.floor(rng.uniform() * VOCAB));
  }
  return { x, y };
}

async function trainOn(recurrent: Layer[], fusedSteps: number) {
  const model = await compileModel(
    options(
      {
        inputShape: [T],
        inputKind: 'tokens',
        layers: [
          { type: 'embedding', vocabSize: VOCAB, dim: 8, positional: 'none' },
          ...recurrent,
          { type: 'dense', units: CLASSES },
        ],
      },
      { fusedSteps, optimizer: { type: 'adam', learningRate: 0.03 } },
    ),
  );
  const train = firstTokenTask(192, 1);
  const held = firstTokenTask(96, 2);
  const first = await model.evaluateLoss(held, 96);
  for (let epoch = 0; epoch < 8; epoch++) {
    const batches = Array.from({ length: 12 }, (_, i) => ({
      x: slice(train.x, T, i * 16, 16),
      y: slice(train.y, 1, i * 16, 16),
    }));
    await model.train(
      batches,
      batches.map(() => 0.03),
    );
  }
  const last = await model.evaluateLoss(held, 96);
  assert.ok(last < first / 4, `held-out loss fell from ${first} to ${last}`);
  const predicted = await model.predict(held.x, 96);
  const accuracy = argmaxAccuracy(predicted, CLASSES, held.y);
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
  return { model, held, predicted };
}

test('an LSTM remembers the first token over 8 steps: held-out accuracy ≥ 95 %', async () => {
  const { model } = await trainOn([{ type: 'lstm', units: 16 }], 1);
  await model.dispose();
});

test('a GRU (all steps, flattened) learns it with Loop-fused steps; model.onnx agrees with predict', async () => {
  const { model, held, predicted } = await trainOn(
    [{ type: 'gru', units: 16, returnSequences: true }, { type: 'flatten' }],
    4,
  );
  const session = await ort.InferenceSession.create(await model.exportOnnx());
  // The exported model takes one example at a time.
  for (let i = 0; i < 6; i++) {
    const x = new ort.Tensor('int64', held.x.subarray(i * T, (i + 1) * T), [1, T]);
    const out = await session.run({ [session.inputNames[0]]: x });
    const exported = out[session.outputNames[0]].data as Float32Array;
    exported.forEach((v, k) => {
      const expected = predicted[i * CLASSES + k];
      assert.ok(Math.abs(v - expected) < 1e-4, `example ${i} class ${k}: ${v} vs ${expected}`);
    });
  }
  await session.release();
  await model.dispose();
});
