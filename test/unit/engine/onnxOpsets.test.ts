/**
 * Models written at opsets 18, 19 and 20 (newer than Debian PyTorch 1.13 exports): Split with
 * num_outputs and ReduceMean with its axes as an input (opset 18), Gelu (opset 20). The
 * compatibility check runs each: the imported forward against onnxruntime on the original file,
 * and the gradients against finite differences.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { tensorInfo, weights } from './handWrittenOnnx';

const INT64 = onnx.TensorProto.DataType.INT64;

/**
 * x [batch, 6] · w1 → Split into two [batch, 3] halves (num_outputs) → act(first) +
 * ReduceMean(second, axes input [1], keepdims) → · w2 → y [batch, 2]; act is Gelu at opset 20.
 */
function model(opset: number): Uint8Array {
  const act = opset >= 20 ? 'Gelu' : 'Tanh';
  const graph: onnx.IGraphProto = {
    name: `opset${opset}`,
    input: [tensorInfo('x', ['batch', 6])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: [
      weights('w1', [6, 6], 1),
      weights('w2', [3, 2], 2),
      { name: 'axes', dims: [1], dataType: INT64, int64Data: [1] },
    ],
    node: [
      { name: 'mm1', opType: 'MatMul', input: ['x', 'w1'], output: ['h'] },
      {
        name: 'split',
        opType: 'Split',
        input: ['h'],
        output: ['a', 'b'],
        attribute: [
          { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          { name: 'num_outputs', type: onnx.AttributeProto.AttributeType.INT, i: 2 },
        ],
      },
      { name: 'act', opType: act, input: ['a'], output: ['g'] },
      {
        name: 'mean',
        opType: 'ReduceMean',
        input: ['b', 'axes'],
        output: ['m'],
        attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
      { name: 'add', opType: 'Add', input: ['g', 'm'], output: ['s'] },
      { name: 'mm2', opType: 'MatMul', input: ['s', 'w2'], output: ['y'] },
    ],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 9, opsetImport: [{ domain: '', version: opset }], graph }),
  ).finish();
}

describe('models of opsets 18 to 20', () => {
  for (const opset of [18, 19, 20])
    it(`opset ${opset}: trainable, the forward equal to onnxruntime, gradients equal to finite differences`, async () => {
      const report = await checkCompatibility(readOnnxModel(model(opset)));
      assert.equal(report.verdict, 'trainable', report.problems.join('; '));
      assert.equal(report.opset, opset);
      assert.ok(report.ops.some((op) => op.opType === (opset >= 20 ? 'Gelu' : 'Tanh')));
      assert.ok(
        (report.forwardDifference ?? Infinity) < 1e-5,
        `forward difference ${report.forwardDifference}`,
      );
      assert.deepEqual(
        report.gradientChecks?.map((g) => g.parameter),
        ['w1', 'w2'],
      );
      assert.ok(report.gradientChecks!.every((g) => g.relativeError !== null && g.relativeError < 2e-2));
    });

  it('Gelu before opset 20 is refused, naming the node and the opset it needs', async () => {
    const bytes = onnx.ModelProto.decode(model(20));
    bytes.opsetImport = [{ domain: '', version: 19 }];
    const report = await checkCompatibility(readOnnxModel(onnx.ModelProto.encode(bytes).finish()));
    assert.equal(report.verdict, 'unsupported');
    assert.deepEqual(
      report.ops.find((op) => op.opType === 'Gelu'),
      { opType: 'Gelu', supported: false, nodes: ['act'], reason: 'Gelu needs opset 20' },
    );
  });
});
