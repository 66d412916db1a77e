// The engine computes on as many threads as it is given (training in the editor leaves a core
// to VS Code): onnxruntime runs a session with n intra-op threads as the caller's plus n − 1 of
// its own pool, which this process's thread list (Linux /proc) shows appearing and going. Idle
// threads sleep between ops unless the run has the cores to itself (the CLI's train).
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { compileModel, type CompileOptions } from '../../../src/engine';
import { options } from './fixtures';

const threadCount = () => readdirSync('/proc/self/task').length;
const mlp = (threads: number, fusedSteps?: number) =>
  options(
    { inputShape: [4], inputKind: 'float', layers: [{ type: 'dense', units: 3 }] },
    { threads, fusedSteps },
  );

test('every session of a model compiled for n threads runs on n threads: n − 1 more in this process', async () => {
  const single = await compileModel(mlp(1)); // also starts what any first session starts (libuv's pool)
  const before = threadCount();
  const model = await compileModel(mlp(4, 2));
  assert.equal(threadCount() - before, 3, 'the training session');
  const batch = { x: new Float32Array(16 * 4), y: new BigInt64Array(16) };
  await model.train([batch, batch], [0.1, 0.1]);
  assert.equal(threadCount() - before, 6, 'and the fused session it opens for two steps at a time');
  await model.dispose();
  assert.equal(threadCount(), before, 'gone with the model');
  await single.dispose();
});

const cnn = (overrides: Partial<CompileOptions>) =>
  options(
    {
      inputShape: [1, 6, 6],
      inputKind: 'float',
      layers: [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }],
    },
    { batchSize: 4, ...overrides },
  );
const cnnBatch = { x: new Float32Array(4 * 36).fill(0.5), y: new BigInt64Array([0n, 1n, 2n, 0n]) };

test('the sessions a model opens later (recorded dynamics, feature maps) also run on its n threads', async () => {
  const single = await compileModel(cnn({ threads: 1 }));
  const before = threadCount();
  const model = await compileModel(cnn({ threads: 3 }));
  assert.equal(threadCount() - before, 2, 'the training session');
  await model.trainWithDynamics([cnnBatch], [0.1]);
  assert.equal(threadCount() - before, 4, 'and the session recording training dynamics');
  await model.featureMaps(cnnBatch.x.subarray(0, 36));
  assert.equal(threadCount() - before, 6, 'and the feature-map session');
  await model.dispose();
  await single.dispose();
});

test('idle threads spin-wait only in a model compiled for a run with the cores to itself', async () => {
  type Create = (
    model: Uint8Array,
    options: ort.InferenceSession.SessionOptions,
  ) => Promise<ort.InferenceSession>;
  const factory = ort.InferenceSession as unknown as { create: Create };
  const create = factory.create;
  const spinning: string[] = [];
  factory.create = (model, sessionOptions) => {
    const extra = sessionOptions.extra as { session: { intra_op: { allow_spinning: string } } };
    spinning.push(extra.session.intra_op.allow_spinning);
    return create.call(factory, model, sessionOptions);
  };
  try {
    for (const spinWait of [true, false, undefined]) {
      spinning.length = 0;
      const model = await compileModel(cnn({ spinWait, fusedSteps: 2 }));
      await model.train([cnnBatch, cnnBatch], [0.1, 0.1]);
      await model.predict(cnnBatch.x, 4);
      await model.dispose();
      assert.ok(spinning.length >= 3, `training, fused and evaluation sessions: ${spinning.length}`);
      assert.deepEqual(new Set(spinning), new Set([spinWait ? '1' : '0']), `spinWait ${spinWait}`);
    }
  } finally {
    factory.create = create;
  }
});
