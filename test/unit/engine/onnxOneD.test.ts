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
import {
  assertChecksOut,
  convLayer,
  encodeModel,
  tanhFlattenHead,
  tensorInfo,
  weights,
} from './handWrittenOnnx';

const INTS = onnx.AttributeProto.AttributeType.INTS;

/** 1-D pooling of the convolution's output: MaxPool (width 3, stride 2, pads [1, 1]) → [batch, 5, 3], then AveragePool (width 2, pads [1, 0], count_include_pad) → [batch, 5, 3]. */
const POOLING: onnx.INodeProto[] = [
  {
    name: 'max',
    opType: 'MaxPool',
    input: ['c'],
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
 * x [batch, 3, 11] → Conv (5 filters of width 3, stride 2, dilation 2, pads [2, 1]) [batch, 5, 5]
 * → (pooled: POOLING) → Tanh → flattened · w → y [batch, 2].
 */
function conv1dModel(pooled = false): Uint8Array {
  const conv = convLayer([5, 3, 3], pooled ? 15 : 25, [
    { name: 'kernel_shape', type: INTS, ints: [3] },
    { name: 'strides', type: INTS, ints: [2] },
    { name: 'dilations', type: INTS, ints: [2] },
    { name: 'pads', type: INTS, ints: [2, 1] },
  ]);
  const graph: onnx.IGraphProto = {
    name: 'conv1d',
    input: [tensorInfo('x', ['batch', 3, 11])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: conv.initializer,
    node: [conv.node, ...(pooled ? POOLING : []), ...tanhFlattenHead(pooled ? 'p' : 'c')],
  };
  return encodeModel(graph);
}

describe('1-D convolutions', () => {
  it('stride, dilation and uneven pads: the forward equals onnxruntime, gradients equal finite differences', async () => {
    assertChecksOut(await checkCompatibility(readOnnxModel(conv1dModel())), ['filters', 'bias', 'head']);
  });

  it('1-D max and average pooling with strides and pads: the forward equals onnxruntime, gradients equal finite differences', async () => {
    const report = await checkCompatibility(readOnnxModel(conv1dModel(true)));
    assertChecksOut(report);
    assert.deepEqual(
      report.ops.filter((op) => op.opType.endsWith('Pool')).map((op) => [op.opType, op.supported]),
      [
        ['MaxPool', true],
        ['AveragePool', true],
      ],
    );
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
