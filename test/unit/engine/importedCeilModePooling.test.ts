/**
 * MaxPool with ceil_mode 1 (PyTorch's MaxPool2d(ceil_mode=True): torchvision's SqueezeNet and
 * GoogLeNet) imported: its output, windows and gradient against onnxruntime running the node
 * itself and finite differences, where ceil mode adds a partial window and where PyTorch's rule
 * drops one that would start in the end padding.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { Rng } from '../../../src/engine/init';
import { checkNode } from '../../../src/engine/onnx/importOps';
import type { OnnxNode } from '../../../src/engine/onnx/onnxFile';
import { checkImportedNode, nodeModel } from './importedNodeCheck';

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: values,
});
const ceilPool = (kernel: number, stride: number, pad: number): onnx.INodeProto => ({
  opType: 'MaxPool',
  input: ['h'],
  output: ['y'],
  attribute: [
    ints('kernel_shape', [kernel, kernel]),
    ints('strides', [stride, stride]),
    ints('pads', [pad, pad, pad, pad]),
    { name: 'ceil_mode', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
  ],
});

const rng = new Rng(5);

for (const [size, kernel, stride, pad, what] of [
  [8, 3, 2, 0, 'a partial last window (3 rows in floor mode, 4 in ceil mode)'],
  [8, 3, 2, 1, 'padding and a partial last window'],
  [5, 3, 3, 1, 'a last window that would start in the end padding is dropped'],
  [13, 3, 2, 0, 'windows that fit exactly (ceil and floor mode agree)'],
] as const)
  test(`MaxPool ceil_mode 1: ${what}`, async () => {
    const shape = [2, 3, size, size];
    const x = Float32Array.from({ length: 2 * 3 * size * size }, () => rng.normal());
    await checkImportedNode(nodeModel(shape, [ceilPool(kernel, stride, pad)], 13), shape, x);
  });

test('ceil_mode 1 in 1-D pooling is refused with the reason', () => {
  const node: OnnxNode = {
    name: 'pool',
    index: 0,
    opType: 'MaxPool',
    domain: '',
    inputs: ['x'],
    outputs: ['y'],
    attrs: { kernel_shape: [3], strides: [2], ceil_mode: 1 },
  };
  assert.equal(checkNode(node, 17), 'ceil_mode 1 in 1-D pooling');
  assert.equal(
    checkNode({ ...node, attrs: { ...node.attrs, kernel_shape: [3, 3], strides: [2, 2] } }, 17),
    undefined,
  );
});
