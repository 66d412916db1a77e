/**
 * 1-D convolutions and pooling (PyTorch's Conv1d, MaxPool1d, AvgPool1d) import as 2-D ones over
 * a height of 1. Hand-written graphs exercise every attribute the mapping rewrites: stride 2,
 * dilation 2 and uneven pads [2, 1], a bias, and pooling with strides, pads and count_include_pad;
 * the compatibility check compares the forward with onnxruntime and the gradients with finite
 * differences.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { tensorInfo, weights } from './handWrittenOnnx';

const INTS = onnx.AttributeProto.AttributeType.INTS;

/** 1-D pooling after the activation: MaxPool (width 3, stride 2, pads [1, 1]) → [batch, 5, 3], then AveragePool (width 2, pads [1, 0], count_include_pad) → [batch, 5, 3]. */
const POOLING: onnx.INodeProto[] = [
  {
    name: 'max',
    opType: 'MaxPool',
    input: ['t'],
    output: ['m'],
    attribute: [
      { name: 'kernel_shape', type: INTS, ints: [3] },
      { name: 'strides', type: INTS, ints: [2] },
      { name: 'pads', type: INTS, ints: [1, 1] },
    ],
  },
  {
    name: 'mean',
    opType: 'AveragePool',
    input: ['m'],
    output: ['p'],
    attribute: [
      { name: 'kernel_shape', type: INTS, ints: [2] },
      { name: 'pads', type: INTS, ints: [1, 0] },
      { name: 'count_include_pad', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
    ],
  },
];

/**
 * x [batch, 3, 11] → Conv (5 filters of width 3, stride 2, dilation 2, pads [2, 1]) → Tanh
 * [batch, 5, 5] → (pooled: POOLING) → flattened · w → y [batch, 2].
 */
function conv1dModel(pooled = false): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'conv1d',
    input: [tensorInfo('x', ['batch', 3, 11])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: [
      weights('filters', [5, 3, 3], 1),
      weights('bias', [5], 2),
      weights('head', [pooled ? 15 : 25, 2], 3),
    ],
    node: [
      {
        name: 'conv',
        opType: 'Conv',
        input: ['x', 'filters', 'bias'],
        output: ['c'],
        attribute: [
          { name: 'kernel_shape', type: INTS, ints: [3] },
          { name: 'strides', type: INTS, ints: [2] },
          { name: 'dilations', type: INTS, ints: [2] },
          { name: 'pads', type: INTS, ints: [2, 1] },
        ],
      },
      { name: 'act', opType: 'Tanh', input: ['c'], output: ['t'] },
      ...(pooled ? POOLING : []),
      {
        name: 'flat',
        opType: 'Flatten',
        input: [pooled ? 'p' : 't'],
        output: ['f'],
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
      { name: 'fc', opType: 'MatMul', input: ['f', 'head'], output: ['y'] },
    ],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 14 }], graph }),
  ).finish();
}

describe('1-D convolutions', () => {
  it('stride, dilation and uneven pads: the forward equals onnxruntime, gradients equal finite differences', async () => {
    const report = await checkCompatibility(readOnnxModel(conv1dModel()));
    assert.equal(report.verdict, 'trainable', report.problems.join('; '));
    assert.ok(
      (report.forwardDifference ?? Infinity) < 1e-5,
      `forward difference ${report.forwardDifference}`,
    );
    assert.deepEqual(
      report.gradientChecks?.map((g) => g.parameter),
      ['filters', 'bias', 'head'],
    );
    assert.ok(report.gradientChecks!.every((g) => g.relativeError !== null && g.relativeError < 2e-2));
  });

  it('1-D max and average pooling with strides and pads: the forward equals onnxruntime, gradients equal finite differences', async () => {
    const report = await checkCompatibility(readOnnxModel(conv1dModel(true)));
    assert.equal(report.verdict, 'trainable', report.problems.join('; '));
    assert.deepEqual(
      report.ops.filter((op) => op.opType.endsWith('Pool')).map((op) => [op.opType, op.supported]),
      [
        ['MaxPool', true],
        ['AveragePool', true],
      ],
    );
    assert.ok(
      (report.forwardDifference ?? Infinity) < 1e-5,
      `forward difference ${report.forwardDifference}`,
    );
    assert.ok(report.gradientChecks!.every((g) => g.relativeError !== null && g.relativeError < 2e-2));
  });

  it('3-D convolutions are still refused, naming the node and the kernel', async () => {
    const model = onnx.ModelProto.decode(conv1dModel());
    const graph = model.graph!;
    graph.input = [tensorInfo('x', ['batch', 3, 11, 11, 11])];
    graph.initializer![0] = weights('filters', [5, 3, 3, 3, 3], 1);
    graph.node![0].attribute = [{ name: 'kernel_shape', type: INTS, ints: [3, 3, 3] }];
    const report = await checkCompatibility(readOnnxModel(onnx.ModelProto.encode(model).finish()));
    assert.equal(report.verdict, 'unsupported');
    assert.deepEqual(
      report.ops.find((op) => op.opType === 'Conv'),
      {
        opType: 'Conv',
        supported: false,
        nodes: ['conv'],
        reason: 'only 1-D and 2-D convolutions (kernel_shape [3,3,3])',
      },
    );
  });
});
