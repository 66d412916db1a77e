/**
 * Models exported without a dynamic batch axis (torch.onnx.export without dynamic_axes, as many
 * tutorials do): the file fixes the batch, typically at 1. `model-lab onnx check` checks them at
 * that batch, which onnxruntime insists on for the original, and says so; one whose shapes
 * follow the exported batch (x.view(x.size(0), -1) traced as a reshape to [1, -1]) cannot train at
 * another batch, and both the check and the training graph say how to export it instead.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { planImport, readOnnxModel, type OnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import { GraphBuilder } from '../../../src/engine/graph/builder';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const info = (name: string, dims: number[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
});

/** x [1, 2, 3] → flattened to [1, 6] (by Flatten, or by a Reshape to the constant [1, -1]) → · w [6, 3] → y [1, 3]. */
function fixedBatchModel(flatten: 'Flatten' | 'Reshape'): OnnxModel {
  const graph: onnx.IGraphProto = {
    name: 'fixed',
    input: [info('x', [1, 2, 3])],
    output: [info('y', [1, 3])],
    initializer: [
      {
        name: 'w',
        dims: [6, 3],
        dataType: FLOAT,
        floatData: Array.from({ length: 18 }, (_, i) => Math.sin(i)),
      },
      { name: 'shape', dims: [2], dataType: onnx.TensorProto.DataType.INT64, int64Data: [1, -1] },
    ],
    node: [
      flatten === 'Flatten'
        ? { name: 'flat', opType: 'Flatten', input: ['x'], output: ['h'] }
        : { name: 'flat', opType: 'Reshape', input: ['x', 'shape'], output: ['h'] },
      { name: 'fc', opType: 'MatMul', input: ['h', 'w'], output: ['y'] },
    ],
  };
  return readOnnxModel(
    onnx.ModelProto.encode(
      onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }),
    ).finish(),
  );
}

const HINT =
  /The file fixes the batch at 1 \(x is \[1, 2, 3\]\) and its shapes follow it: export again with dynamic_axes=\{"x": \{0: "batch"\}, "y": \{0: "batch"\}\}/;

describe('a model exported with a fixed batch', () => {
  it('is checked at its own batch, and trainable when its shapes do not depend on it', async () => {
    const report = await checkCompatibility(fixedBatchModel('Flatten'));
    assert.equal(report.verdict, 'trainable', report.problems.join('; '));
    assert.equal(report.batch, 1);
    assert.deepEqual(report.assumed, ['batch 1, as the file fixes it']);
    assert.ok((report.forwardDifference ?? Infinity) < 1e-6);
  });

  it('whose reshape fixes the batch: refused by the check and by the training graph, saying how to export it', async () => {
    const model = fixedBatchModel('Reshape');
    const report = await checkCompatibility(model);
    assert.equal(report.verdict, 'unsupported');
    assert.match(report.problems[0], HINT);

    const plan = planImport(model);
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [4, 2, 3]);
    assert.throws(
      () => importForward(plan, x, { b, mode: 'train', param: (p) => b.input(p.name, 'float32', p.shape) }),
      HINT,
    );
    // At the file's own batch it builds.
    const one = new GraphBuilder();
    importForward(plan, one.input('x', 'float32', [1, 2, 3]), {
      b: one,
      mode: 'train',
      param: (p) => one.input(p.name, 'float32', p.shape),
    });
  });
});
