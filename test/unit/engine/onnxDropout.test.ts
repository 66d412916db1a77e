/**
 * Dropout of imported models: a Dropout node drops in training graphs with its ratio, through
 * Model Lab's keyed masks, and is the identity in eval graphs. (Step-by-step parity with PyTorch,
 * which drew the same keyed masks, is the dropout case of onnxParity.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { importForward } from '../../../src/engine/onnx/importForward';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { batchOf, compileCase, modelPath, readReference } from './onnxFixtures';
import { importOnnxFile } from '../../../src/engine/onnx';

const ROWS = 256;
const COLS = 64;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** x [ROWS, COLS] · w (a parameter) → Dropout (the ratio as a Constant, training_mode true) → y. */
function dropoutModel(ratio: number): Uint8Array {
  const info = (name: string): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: COLS }] } } },
  });
  const graph: onnx.IGraphProto = {
    name: 'dropout',
    input: [info('x')],
    output: [info('y')],
    initializer: [
      {
        name: 'w',
        dims: [COLS],
        dataType: FLOAT,
        floatData: Array.from({ length: COLS }, (_, i) => 1 + i / COLS),
      },
      { name: 'ratio', dims: [], dataType: FLOAT, floatData: [ratio] },
      { name: 'training', dims: [], dataType: onnx.TensorProto.DataType.BOOL, int32Data: [1] },
    ],
    node: [
      { name: 'scale', opType: 'Mul', input: ['x', 'w'], output: ['h'] },
      { name: 'drop', opType: 'Dropout', input: ['h', 'ratio', 'training'], output: ['y', 'mask'] },
    ],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 15 }], graph }),
  ).finish();
}

/** The imported forward in `mode` for keys fed at run time; returns y per key. */
async function forward(ratio: number, mode: 'train' | 'eval', x: Float32Array, keys: number[]) {
  const plan = planImport(readOnnxModel(dropoutModel(ratio)));
  const b = new GraphBuilder();
  const xv = b.input('x', 'float32', [ROWS, COLS]);
  const key = b.input('key', 'int64', []);
  const y = importForward(plan, xv, {
    b,
    mode,
    dropoutKey: key,
    param: (p) => b.constant(p.data, p.shape),
  });
  b.output(b.add(y, b.scalar(0)), 'y');
  const session = await openSession(serializeModel(b));
  const outputs: Float32Array[] = [];
  for (const k of keys) {
    const result = await session.run({
      x: tensor('float32', x, [ROWS, COLS]),
      key: tensor('int64', BigInt64Array.of(BigInt(k)), []),
    });
    outputs.push(result.y.data as Float32Array);
  }
  await session.release();
  return outputs;
}

const input = Float32Array.from({ length: ROWS * COLS }, (_, i) => 0.5 + ((i * 37) % 101) / 101);
const scaled = (i: number) => input[i] * (1 + (i % COLS) / COLS);

describe('Dropout of imported models', () => {
  it('train graphs drop about the ratio of units, scale the rest by 1 / (1 − ratio), and draw a new mask per key', async () => {
    const ratio = 0.3;
    const [first, second] = await forward(ratio, 'train', input, [11, 12]);
    const dropped = (y: Float32Array) => y.filter((v) => v === 0).length / y.length;
    // 16384 units: the share's standard deviation is 0.0036, so ±0.02 is more than 5σ.
    for (const y of [first, second]) {
      assert.ok(Math.abs(dropped(y) - ratio) < 0.02, `dropped ${dropped(y)}, ratio ${ratio}`);
      y.forEach((v, i) => {
        if (v !== 0) assert.ok(Math.abs(v - scaled(i) / (1 - ratio)) < 1e-5, `unit ${i}: ${v}`);
      });
    }
    const both = first.filter((v, i) => v === 0 && second[i] === 0).length / first.length;
    assert.ok(
      Math.abs(both - ratio * ratio) < 0.02,
      `dropped under both keys ${both}, independent masks ${ratio * ratio}`,
    );
    const [again] = await forward(ratio, 'train', input, [11]);
    assert.deepEqual(again, first, 'the same key draws the same mask');
  });

  it('eval graphs are the identity, whatever the key', async () => {
    const outputs = await forward(0.3, 'eval', input, [11, 12]);
    for (const y of outputs)
      y.forEach((v, i) => assert.ok(Math.abs(v - scaled(i)) < 1e-6, `unit ${i}: ${v}`));
  });

  it('a ratio of 0 drops nothing in training', async () => {
    const [y] = await forward(0, 'train', input, [11]);
    y.forEach((v, i) => assert.ok(Math.abs(v - scaled(i)) < 1e-6, `unit ${i}: ${v}`));
  });

  it("the dropout case: predictions are deterministic and PyTorch's eval output, before and after training", async () => {
    const ref = readReference('dropout');
    const model = await compileCase(importOnnxFile(modelPath('dropout')), ref);
    const batch = batchOf(ref, 0);
    const agrees = (got: Float32Array, want: number[], what: string) =>
      want.forEach((w, i) =>
        assert.ok(Math.abs(got[i] - w) <= 1e-4 * (1 + Math.abs(w)), `${what}[${i}]: ${got[i]}, PyTorch ${w}`),
      );
    const once = await model.predict(batch.x, ref.batchSize);
    assert.deepEqual(await model.predict(batch.x, ref.batchSize), once, 'the same predictions twice');
    agrees(once, ref.evalOutputBefore!, 'before training');
    const steps = ref.trajectory.map((_, step) => batchOf(ref, step % ref.batches.length));
    await model.train(
      steps,
      steps.map(() => ref.optimizer.learningRate),
    );
    agrees(await model.predict(batch.x, ref.batchSize), ref.evalOutput!, 'after training');
    await model.dispose();
  });
});
