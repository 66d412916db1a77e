/**
 * BatchNormalization of imported PyTorch models while fine-tuning (test/fixtures/onnx/batchnorm
 * and convbn, made by bench/pytorch/onnx_references.py; convbn exported in training mode, its
 * second BatchNorm with PyTorch momentum 0.25):
 *  - the train-mode gradients (batch statistics) of a lone BatchNormalization, through the
 *    batchNorm composite's closed-form rule, against finite differences (a smooth loss: no ReLU
 *    kink next to it spoils the differences);
 *  - the running mean and variance after each of 40 steps (shuffle off, fixed batches) against
 *    PyTorch's: updated with the node's momentum and the unbiased batch variance;
 *  - eval mode after training normalises with the running statistics: predict, a checkpoint
 *    restored into a fresh model, and the exported model.onnx run by onnxruntime all give
 *    PyTorch's eval-mode output.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { importOnnxFile, planImport, readOnnxModel } from '../../../src/engine/onnx';
import { exportImported } from '../../../src/engine/onnx/exportImported';
import { importForward } from '../../../src/engine/onnx/importForward';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { checkGradients } from './gradcheck';
import { batchOf, compileCase, modelPath, readReference } from './onnxFixtures';

/**
 * x [dims] → BatchNormalization (training mode, momentum 0.8) → y, scale and bias not trivial.
 * At opset 15 training mode is the training_mode attribute; at opset 13 (no such attribute) it is
 * the node's five outputs, as PyTorch exports it.
 */
function batchNormModel(dims: number[], opset: 13 | 15 = 15): Uint8Array {
  const channels = dims[1];
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const vector = (name: string, f: (i: number) => number): onnx.ITensorProto => ({
    name,
    dims: [channels],
    dataType: FLOAT,
    floatData: Array.from({ length: channels }, (_, i) => f(i)),
  });
  const info = (name: string): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const graph: onnx.IGraphProto = {
    name: 'bn',
    input: [info('x')],
    output: [info('y')],
    initializer: [
      vector('scale', (i) => 0.5 + 0.3 * i),
      vector('bias', (i) => 0.1 * i - 0.2),
      vector('mean', () => 0),
      vector('var', () => 1),
    ],
    node: [
      {
        name: 'bn',
        opType: 'BatchNormalization',
        input: ['x', 'scale', 'bias', 'mean', 'var'],
        output:
          opset === 15
            ? ['y', 'mean_out', 'var_out']
            : ['y', 'mean_out', 'var_out', 'saved_mean', 'saved_var'],
        attribute: [
          { name: 'momentum', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.8 },
          ...(opset === 15
            ? [{ name: 'training_mode', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]
            : []),
        ],
      },
    ],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph }),
  ).finish();
}

const close = (a: number, b: number, rtol: number, atol: number) =>
  Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe('BatchNormalization of imported models trains as in PyTorch', () => {
  for (const dims of [
    [6, 3, 4, 5],
    [4, 3, 5],
    [5, 4],
  ])
    for (const cpu of [true, false])
      it(`train-mode gradients of x, scale and bias of a BatchNormalization on [${dims}] equal finite differences (${cpu ? 'CPU: one training-mode node' : 'WebGPU: four passes of standard ops'})`, async () => {
        const plan = planImport(readOnnxModel(batchNormModel(dims)));
        await checkGradients(
          (b, xs) => {
            b.root.contribOps = cpu;
            const y = importForward(plan, xs[0], {
              b,
              mode: 'train',
              param: (p) => xs[1 + plan.parameters.indexOf(p)],
            });
            // The closed-form rule of the batchNorm composite is what these differences check,
            // over the forward each provider builds.
            assert.equal(y.producer?.composite?.rule, 'batchNorm');
            assert.equal(y.producer?.attrs.training_mode, cpu ? 1 : undefined);
            assert.equal(
              b.nodes.some((n) => n.opType === 'ReduceSumSquare'),
              !cpu,
            );
            return y;
          },
          [{ shape: dims }, ...plan.parameters.map((p) => ({ shape: p.shape, data: p.data }))],
        );
      });

  for (const name of ['batchnorm', 'convbn']) {
    it(`${name}: running statistics follow PyTorch's over every step, and eval mode reads them`, async () => {
      const ref = readReference(name);
      const expected = ref.runningStats!;
      const plan = importOnnxFile(modelPath(name));
      assert.deepEqual(
        plan.buffers.map((p) => p.onnxName).sort(),
        Object.keys(expected[0]).sort(),
        'the buffers are exactly the running statistics',
      );
      const model = await compileCase(plan, ref);
      let worst = 0;
      for (let step = 0; step < expected.length; step++) {
        await model.train([batchOf(ref, step % ref.batches.length)], [ref.optimizer.learningRate]);
        const { tensors } = await model.getState();
        for (const buffer of plan.buffers) {
          const got = tensors[buffer.name].data;
          expected[step][buffer.onnxName].forEach((want, i) => {
            worst = Math.max(worst, Math.abs(got[i] - want));
            assert.ok(
              close(got[i], want, 1e-4, 1e-5),
              `step ${step + 1}, ${buffer.onnxName}[${i}]: Model Lab ${got[i]}, PyTorch ${want}`,
            );
          });
        }
      }
      console.log(
        `${name}: largest running-statistic difference ${worst.toExponential(2)} over ${expected.length} steps`,
      );

      const batch = batchOf(ref, 0);
      const want = ref.evalOutput!;
      const agrees = (got: ArrayLike<number>, what: string) => {
        assert.equal(got.length, want.length, `${what}: output size`);
        want.forEach((w, i) =>
          assert.ok(close(got[i], w, 1e-4, 1e-4), `${what}[${i}]: ${got[i]}, PyTorch ${w}`),
        );
      };
      agrees(await model.predict(batch.x, ref.batchSize), 'predict after training');

      const state = await model.getState();
      const restored = await compileCase(plan, ref);
      await restored.setState(state);
      agrees(await restored.predict(batch.x, ref.batchSize), 'predict from the checkpoint');
      await restored.dispose();

      const exported = await model.exportOnnx();
      await model.dispose();
      const graph = onnx.ModelProto.decode(exported).graph!;
      for (const node of graph.node!.filter((n) => n.opType === 'BatchNormalization')) {
        assert.ok(
          !node.attribute?.some((a) => a.name === 'training_mode' && Number(a.i) === 1),
          'inference mode',
        );
        assert.equal(node.output!.length, 1, 'no running-statistics outputs');
      }
      const session = await openSession(exported);
      const result = await session.run({
        input: tensor('float32', batch.x, [ref.batchSize, ...ref.input.shape]),
      });
      await session.release();
      agrees(result.output.data as Float32Array, 'exported model.onnx');
    });
  }

  for (const opset of [13, 15] as const)
    it(`opset ${opset}: the exported model.onnx normalises with the running statistics, whatever the batch`, async () => {
      const dims = [4, 3, 5];
      const plan = planImport(readOnnxModel(batchNormModel(dims, opset)));
      const exported = onnx.ModelProto.decode(exportImported(plan, new Map()));
      const [node] = exported.graph!.node!;
      assert.deepEqual(node.output, ['y'], 'no running-statistics outputs');
      // Running mean 0 and variance 1: y = scale·x/√(1 + ε) + bias, per channel.
      const x = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) * 3 + 1);
      const session = await openSession(onnx.ModelProto.encode(exported).finish());
      const y = (await session.run({ x: tensor('float32', x, dims) })).y.data as Float32Array;
      await session.release();
      x.forEach((v, i) => {
        const c = Math.floor(i / 5) % 3;
        const want = ((0.5 + 0.3 * c) * v) / Math.sqrt(1 + 1e-5) + (0.1 * c - 0.2);
        assert.ok(close(y[i], want, 1e-5, 1e-5), `y[${i}] = ${y[i]}, inference mode gives ${want}`);
      });
    });
});
