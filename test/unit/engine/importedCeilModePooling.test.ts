/**
 * Pooling with ceil_mode 1 (PyTorch's ceil_mode=True: torchvision's SqueezeNet and GoogLeNet)
 * and AveragePool's count_include_pad, 1-D and 2-D, imported: output, windows and gradient
 * against onnxruntime running the node itself and finite differences, where ceil mode adds a
 * partial window, where PyTorch's rule drops one that would start in the end padding, and where
 * an average divides by less than the kernel's size.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { Rng } from '../../../src/engine/init';
import { whyRefused } from '../../../src/engine/onnx/importOps';
import type { OnnxNode } from '../../../src/engine/onnx/onnxFile';
import { averageRescale } from '../../../src/engine/onnx/poolWindows';
import { checkImportedNode, nodeModel } from './importedNodeCheck';

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: values,
});
const int = (name: string, i: number): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i,
});

interface Pool {
  op: 'MaxPool' | 'AveragePool';
  axes: 1 | 2;
  kernel: number;
  stride: number;
  pad: number;
  ceil?: 0 | 1;
  includePad?: 0 | 1;
}

const poolNode = ({ op, axes, kernel, stride, pad, ceil = 1, includePad }: Pool): onnx.INodeProto => {
  const each = (v: number) => new Array<number>(axes).fill(v);
  return {
    opType: op,
    input: ['h'],
    output: ['y'],
    attribute: [
      ints('kernel_shape', each(kernel)),
      ints('strides', each(stride)),
      ints('pads', each(pad).concat(each(pad))),
      int('ceil_mode', ceil),
      ...(includePad === undefined ? [] : [int('count_include_pad', includePad)]),
    ],
  };
};

const rng = new Rng(5);

const checkPool = async (pool: Pool, size: number) => {
  const shape = [2, 3, ...new Array<number>(pool.axes).fill(size)];
  const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  await checkImportedNode(nodeModel(shape, [poolNode(pool)], 13), shape, x);
};

const SHAPES = [
  [8, 3, 2, 0, 'a partial last window (3 rows in floor mode, 4 in ceil mode)'],
  [8, 3, 2, 1, 'padding and a partial last window'],
  [5, 3, 3, 1, 'a last window that would start in the end padding is dropped'],
  [13, 3, 2, 0, 'windows that fit exactly (ceil and floor mode agree)'],
] as const;

for (const [size, kernel, stride, pad, what] of SHAPES)
  test(`MaxPool ceil_mode 1: ${what}`, async () => {
    await checkPool({ op: 'MaxPool', axes: 2, kernel, stride, pad }, size);
    await checkPool({ op: 'MaxPool', axes: 1, kernel, stride, pad }, size);
  });

for (const [size, kernel, stride, pad, what] of SHAPES)
  for (const includePad of [0, 1] as const)
    test(`AveragePool ceil_mode 1, count_include_pad ${includePad}: ${what}`, async () => {
      await checkPool({ op: 'AveragePool', axes: 2, kernel, stride, pad, includePad }, size);
      await checkPool({ op: 'AveragePool', axes: 1, kernel, stride, pad, includePad }, size);
    });

test('AveragePool with padding and count_include_pad 0 divides by the window inside the input', async () => {
  await checkPool({ op: 'AveragePool', axes: 2, kernel: 3, stride: 2, pad: 1, ceil: 0, includePad: 0 }, 7);
  await checkPool({ op: 'AveragePool', axes: 1, kernel: 3, stride: 1, pad: 1, ceil: 0, includePad: 0 }, 6);
});

/** An AveragePool node of the importer's own form, with `attrs`. */
const averagePool = (attrs: OnnxNode['attrs']): OnnxNode => ({
  name: 'pool',
  index: 0,
  opType: 'AveragePool',
  domain: '',
  inputs: ['x'],
  outputs: ['y'],
  attrs,
});

test('the divisors of a ceil-mode average: the part past the end padding never counts', () => {
  const node = (includePad: number) =>
    averagePool({
      kernel_shape: [3],
      strides: [2],
      pads: [1, 1],
      ceil_mode: 1,
      count_include_pad: includePad,
    });
  // 8 long, padded to [-1, 9): windows start at -1, 1, 3, 5, 7; the last covers 7 and the pad at 8.
  assert.deepEqual(averageRescale(node(1), [8]), [1, 1, 1, 1, 3 / 2]);
  assert.deepEqual(averageRescale(node(0), [8]), [3 / 2, 1, 1, 1, 3]);
  assert.equal(averageRescale(averagePool({ kernel_shape: [2], strides: [2] }), [8]), undefined);
});

test('1-D ceil-mode pooling and padded averages without count_include_pad are accepted', () => {
  const node = averagePool({ kernel_shape: [3], strides: [2], pads: [1, 1], ceil_mode: 1 });
  assert.equal(whyRefused(node, 17), undefined);
  assert.equal(whyRefused({ ...node, opType: 'MaxPool' }, 17), undefined);
});
