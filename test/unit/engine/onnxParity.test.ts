/**
 * Imported PyTorch models against PyTorch itself. Each case in test/fixtures/onnx/ was made by
 * bench/pytorch/onnx_references.py: the exported model.onnx, PyTorch's gradients of the loss on
 * the first batch, and the loss of each of 40 training steps over fixed batches.
 *  - gradients of every parameter within 1e-5 relative or 1e-6 absolute;
 *  - every step's loss within 1e-4 of PyTorch's (same optimizer, same defaults; the dropout
 *    case's PyTorch run drew Model Lab's keyed masks, so its steps drop the same units).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { buildLoss } from '../../../src/engine/model/losses';
import { importOnnxFile } from '../../../src/engine/onnx';
import { importForward } from '../../../src/engine/onnx/importForward';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { batchOf, CASES, compileCase, modelPath, readReference } from './onnxFixtures';

const close = (a: number, b: number, rtol: number, atol: number) =>
  Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe('imported PyTorch models match PyTorch', () => {
  for (const name of CASES) {
    it(`${name}: gradients of every parameter on the first batch`, async () => {
      const ref = readReference(name);
      const plan = importOnnxFile(modelPath(name), ref.import);
      const b = new GraphBuilder();
      const batch = batchOf(ref, 0);
      const x = b.input('x', ref.input.kind === 'tokens' ? 'int64' : 'float32', [
        ref.batchSize,
        ...ref.input.shape,
      ]);
      const params = new Map<string, Value>();
      // Dropout draws the masks of step 0, which PyTorch's reference used too.
      const key = ref.dropoutKeys && b.input('dropout_key', 'int64', []);
      const output = importForward(plan, x, {
        b,
        mode: 'train',
        dropoutKey: key,
        param: (p) => {
          const v = b.input(p.name, 'float32', p.shape);
          params.set(p.onnxName, v);
          return v;
        },
      });
      const targets = ref.loss === 'cross-entropy' ? output.shape.slice(0, -1) : output.shape;
      const y = b.input('y', ref.loss === 'cross-entropy' ? 'int64' : 'float32', targets);
      const loss = buildLoss(b, ref.loss, output, y).mean;
      b.output(loss, 'loss');
      const grads = gradients(b, loss, [...params.values()]);
      for (const [onnxName, v] of params) b.output(grads.get(v.name)!, `grad:${onnxName}`);
      const session = await openSession(serializeModel(b));
      const feeds = Object.fromEntries([
        ['x', tensor(x.dtype, batch.x, x.shape)],
        ['y', tensor(y.dtype, batch.y, y.shape)],
        ...(ref.dropoutKeys
          ? [['dropout_key', tensor('int64', BigInt64Array.of(BigInt(ref.dropoutKeys[0])), [])]]
          : []),
        ...plan.parameters.map((p) => [p.name, tensor('float32', p.data, p.shape)]),
      ]);
      const result = await session.run(feeds);
      await session.release();

      const expected = ref.gradients.byInitializer;
      assert.deepEqual(
        plan.parameters.map((p) => p.onnxName).sort(),
        Object.keys(expected).sort(),
        'the trainable initializers are exactly the PyTorch parameters',
      );
      assert.ok(close((result.loss.data as Float32Array)[0], ref.gradients.loss, 1e-6, 1e-6), 'same loss');
      let worst = 0;
      for (const [onnxName, want] of Object.entries(expected)) {
        const got = result[`grad:${onnxName}`].data as Float32Array;
        assert.equal(got.length, want.data.length, `${onnxName}: gradient size`);
        want.data.forEach((w, i) => {
          worst = Math.max(worst, Math.abs(got[i] - w));
          assert.ok(close(got[i], w, 1e-5, 1e-6), `${onnxName}[${i}]: Model Lab ${got[i]}, PyTorch ${w}`);
        });
      }
      console.log(`${name}: largest gradient difference ${worst.toExponential(2)}`);
    });

    it(`${name}: ${readReference(name).trajectory.length} training steps follow PyTorch's losses`, async () => {
      const ref = readReference(name);
      const plan = importOnnxFile(modelPath(name), ref.import);
      const model = await compileCase(plan, ref);
      const batches = ref.trajectory.map((_, step) => batchOf(ref, step % ref.batches.length));
      const rates = ref.trajectory.map(() => ref.optimizer.learningRate);
      const losses = await model.train(batches, rates);
      await model.dispose();
      let worst = 0;
      losses.forEach((loss, step) => {
        worst = Math.max(worst, Math.abs(loss - ref.trajectory[step]));
        assert.ok(
          Math.abs(loss - ref.trajectory[step]) <= 1e-4,
          `step ${step}: Model Lab ${loss}, PyTorch ${ref.trajectory[step]}`,
        );
      });
      console.log(
        `${name}: largest per-step loss difference ${worst.toExponential(2)} over ${losses.length} steps`,
      );
    });
  }
});
