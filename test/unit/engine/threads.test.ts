// The engine computes on as many threads as it is given (training in the editor leaves a core
// to VS Code): onnxruntime runs a session with n intra-op threads as the caller's plus n − 1 of
// its own pool, which this process's thread list (Linux /proc) shows appearing and going.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { compileModel } from '../../../src/engine';
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
