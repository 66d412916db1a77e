// Recurrent models through compileModel: a task that needs memory across steps must be
// learned (single steps and Loop-fused steps), and the exported model must agree with predict
// for any batch size.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { compileModel, type TrainableModel } from '../../../src/engine';
import type { Layer } from '../../../src/contract/experiment';
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
  for (let epoch = 0; epoch < 10; epoch++) {
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
  const accuracy = argmaxAccuracy(await model.predict(held.x, 96), CLASSES, held.y);
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
  return { model, held };
}

/**
 * model.onnx in a fresh session: the first axis is the symbolic `batch`, and batches of 1, 3
 * and 17 (none of them the training batch of 16) give predict's eval-mode outputs.
 */
async function assertExportTakesAnyBatch(model: TrainableModel, held: { x: BigInt64Array }) {
  const bytes = await model.exportOnnx();
  const declared = onnx.ModelProto.decode(bytes).graph!.input![0].type!.tensorType!.shape!.dim![0];
  assert.equal(declared.dimParam, 'batch', 'model.onnx declares a symbolic batch axis');
  assert.match(onnx.ModelProto.decode(bytes).docString!, /int64 token ids of shape \[batch, 8\]/);
  const session = await ort.InferenceSession.create(bytes);
  let start = 0;
  for (const count of [1, 3, 17]) {
    const x = held.x.subarray(start * T, (start + count) * T);
    start += count;
    const out = (await session.run({ input: new ort.Tensor('int64', x, [count, T]) })).output;
    assert.deepEqual(out.dims, [count, CLASSES]);
    const predicted = await model.predict(x, count);
    (out.data as Float32Array).forEach((v, k) =>
      assert.ok(Math.abs(v - predicted[k]) < 1e-5, `batch ${count}, output ${k}: ${v} vs ${predicted[k]}`),
    );
  }
  await session.release();
}

test('an LSTM remembers the first token over 8 steps; model.onnx takes batches of 1, 3 and 17', async () => {
  // The names template shrunk: embedding → LSTM → dropout → dense.
  const { model, held } = await trainOn(
    [
      { type: 'lstm', units: 16 },
      { type: 'dropout', rate: 0.3 },
    ],
    1,
  );
  await assertExportTakesAnyBatch(model, held);
  await model.dispose();
});

test('a GRU (all steps, flattened) learns it with Loop-fused steps; model.onnx takes any batch', async () => {
  const { model, held } = await trainOn(
    [{ type: 'gru', units: 16, returnSequences: true }, { type: 'flatten' }],
    4,
  );
  await assertExportTakesAnyBatch(model, held);
  await model.dispose();
});
