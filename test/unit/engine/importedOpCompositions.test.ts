/**
 * Ops the ONNX importer composes of engine ops (onnx/pointwiseOps.ts, rearrangeOps.ts,
 * localResponseNorm.ts, triangularOps.ts): each in a small model, imported, against onnxruntime
 * running the file itself, and its gradients against finite differences.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { Rng } from '../../../src/engine/init';
import { importForward } from '../../../src/engine/onnx/importForward';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { whyRefused } from '../../../src/engine/onnx/importOps';
import type { OnnxNode } from '../../../src/engine/onnx/onnxFile';
import { checkImportedNode, int64s, nodeModel, nodeWeights } from './importedNodeCheck';

const A = onnx.AttributeProto.AttributeType;
const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: A.INT, i });
const float = (name: string, f: number): onnx.IAttributeProto => ({ name, type: A.FLOAT, f });
const text = (name: string, s: string): onnx.IAttributeProto => ({
  name,
  type: A.STRING,
  s: new TextEncoder().encode(s),
});
const node = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => ({
  opType,
  input,
  output: [output],
  attribute,
});
const floatScalar = (name: string, value: number): onnx.ITensorProto => ({
  name,
  dims: [],
  dataType: onnx.TensorProto.DataType.FLOAT,
  floatData: [value],
});

const rng = new Rng(23);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const normal = (shape: number[]) => Float32Array.from({ length: size(shape) }, () => rng.normal());

/**
 * x such that h = x · w has the given values at offsets cycling through `fractions` of whole
 * numbers from −3 to 3: every h keeps its distance from the jumps of rounding and thresholds.
 */
function landing(shape: number[], fractions: number[]): Float32Array {
  const w = nodeWeights(shape[shape.length - 1]);
  return Float32Array.from({ length: size(shape) }, (_, i) => {
    const h = (i % 7) - 3 + fractions[i % fractions.length];
    return h / w[i % w.length];
  });
}

test('LRN over windows of 1, 3 and 5 channels (as many as there are), with bias', async () => {
  const shape = [2, 5, 3, 3];
  for (const [windowSize, bias] of [
    [3, 1],
    [5, 2],
    [1, 0.5],
  ])
    await checkImportedNode(
      nodeModel(
        shape,
        [
          node('LRN', ['h'], 'y', [
            int('size', windowSize),
            float('alpha', 0.3),
            float('beta', 0.75),
            float('bias', bias),
          ]),
        ],
        13,
      ),
      shape,
      normal(shape),
    );
});

test('DepthToSpace in DCR and CRD mode (nn.PixelShuffle), and SpaceToDepth', async () => {
  for (const mode of ['DCR', 'CRD'])
    await checkImportedNode(
      nodeModel(
        [2, 8, 2, 3],
        [node('DepthToSpace', ['h'], 'y', [int('blocksize', 2), text('mode', mode)])],
        13,
      ),
      [2, 8, 2, 3],
      normal([2, 8, 2, 3]),
    );
  await checkImportedNode(
    nodeModel([2, 2, 4, 6], [node('SpaceToDepth', ['h'], 'y', [int('blocksize', 2)])], 13),
    [2, 2, 4, 6],
    normal([2, 2, 4, 6]),
  );
});

test('Tile (x.repeat) and GlobalMaxPool', async () => {
  await checkImportedNode(
    nodeModel([2, 3, 4], [node('Tile', ['h', 'repeats'], 'y')], 13, [int64s('repeats', [2, 1, 3])]),
    [2, 3, 4],
    normal([2, 3, 4]),
  );
  await checkImportedNode(
    nodeModel([2, 3, 3, 4], [node('GlobalMaxPool', ['h'], 'y')], 13),
    [2, 3, 3, 4],
    // One clear maximum per sample and channel: no tie within a finite-difference step.
    normal([2, 3, 3, 4]).map((v, i) => (i % 12 === Math.floor(i / 12) % 12 ? 4 : 0.3 * v)),
  );
});

test('GreaterOrEqual, LessOrEqual, Or and Xor select; no gradient flows through the comparisons', async () => {
  const shape = [3, 4];
  for (const logic of ['Or', 'Xor']) {
    const bytes = nodeModel(
      shape,
      [
        node('GreaterOrEqual', ['h', 'high'], 'above'),
        node('LessOrEqual', ['h', 'low'], 'below'),
        node(logic, ['above', 'below'], 'picked'),
        node('Mul', ['h', 'h'], 'squared'),
        node('Where', ['picked', 'h', 'squared'], 'selected'),
        // (h >= high).float() * h: the comparison's output carries no gradient back.
        node('Cast', ['above'], 'mask', [int('to', onnx.TensorProto.DataType.FLOAT)]),
        node('Mul', ['mask', 'h'], 'masked'),
        node('Add', ['selected', 'masked'], 'y'),
      ],
      13,
      [floatScalar('high', 0.5), floatScalar('low', 1)],
    );
    // The thresholds stay constants: nothing they feed has a gradient.
    assert.deepEqual(
      planImport(readOnnxModel(bytes)).parameters.map((p) => p.onnxName),
      ['w'],
    );
    await checkImportedNode(bytes, shape, landing(shape, [0.25, 0.7]));
  }
});

test('Sign, Floor, Ceil and Round pass onnxruntime values; their gradient is zero', async () => {
  const shape = [3, 5];
  await checkImportedNode(
    nodeModel(
      shape,
      [
        node('Sign', ['h'], 's'),
        node('Floor', ['h'], 'f'),
        node('Ceil', ['h'], 'c'),
        node('Round', ['h'], 'r'),
        node('Add', ['s', 'f'], 'sf'),
        node('Add', ['c', 'r'], 'cr'),
        node('Add', ['sf', 'cr'], 'steps'),
        node('Mul', ['steps', 'h'], 'y'),
      ],
      13,
    ),
    shape,
    landing(shape, [0.3, 0.8, 0.6]),
  );
});

test('Celu, Mish (opset 18) and ThresholdedRelu on both sides of their kinks', async () => {
  const shape = [3, 6];
  const x = landing(shape, [0.3, 0.8]);
  await checkImportedNode(nodeModel(shape, [node('Celu', ['h'], 'y', [float('alpha', 0.7)])], 13), shape, x);
  await checkImportedNode(nodeModel(shape, [node('Celu', ['h'], 'y')], 13), shape, x);
  await checkImportedNode(nodeModel(shape, [node('Mish', ['h'], 'y')], 18), shape, x);
  await checkImportedNode(
    nodeModel(shape, [node('ThresholdedRelu', ['h'], 'y', [float('alpha', 0.5)])], 13),
    shape,
    x,
  );
});

test('CumSum along each axis, exclusive and reversed', async () => {
  const shape = [2, 3, 4];
  for (const axis of [1, -1, 0])
    for (const [exclusive, reverse] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ])
      await checkImportedNode(
        nodeModel(
          shape,
          [node('CumSum', ['h', 'axis'], 'y', [int('exclusive', exclusive), int('reverse', reverse)])],
          14,
          [int64s('axis', [axis], [])],
        ),
        shape,
        normal(shape),
      );
});

test('Trilu lower and upper, on and off the diagonal', async () => {
  const shape = [2, 3, 4];
  for (const upper of [0, 1])
    for (const k of [undefined, 1, -1])
      await checkImportedNode(
        nodeModel(
          shape,
          [node('Trilu', k === undefined ? ['h'] : ['h', 'k'], 'y', [int('upper', upper)])],
          14,
          k === undefined ? [] : [int64s('k', [k], [])],
        ),
        shape,
        normal(shape),
      );
});

test('a causal mask made with Trilu from the sequence length folds to a constant', async () => {
  const shape = [2, 3, 4];
  const bytes = nodeModel(
    shape,
    [
      node('Shape', ['h'], 'dims'),
      node('Slice', ['dims', 'from', 'to'], 'last2'),
      {
        opType: 'ConstantOfShape',
        input: ['last2'],
        output: ['ones'],
        attribute: [
          {
            name: 'value',
            type: A.TENSOR,
            t: { dims: [1], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1] },
          },
        ],
      },
      node('Trilu', ['ones'], 'mask', [int('upper', 0)]),
      node('Mul', ['h', 'mask'], 'y'),
    ],
    14,
    [int64s('from', [1]), int64s('to', [3])],
  );
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  importForward(plan, b.input('x', 'float32', shape), {
    b,
    mode: 'train',
    param: (p) => b.input(p.name, 'float32', p.shape),
  });
  const built = b.nodes.map((n) => n.opType);
  assert.deepEqual(built, ['Mul', 'Mul'], 'x · w and the product with the folded mask');
  await checkImportedNode(bytes, shape, normal(shape));
});

test('GroupNormalization (opset 18): a scale and shift per group, groups of 1, 2 and 3 channels', async () => {
  const shape = [2, 6, 2, 3];
  const values = (name: string, count: number, seed: number): onnx.ITensorProto => ({
    name,
    dims: [count],
    dataType: onnx.TensorProto.DataType.FLOAT,
    floatData: Array.from({ length: count }, (_, i) => 1 + 0.3 * Math.sin(seed + 2 * i)),
  });
  for (const [opset, groups, count] of [
    [18, 3, 3],
    [18, 2, 2],
    [18, 6, 6],
  ])
    await checkImportedNode(
      nodeModel(
        shape,
        [
          node('GroupNormalization', ['h', 'scale', 'bias'], 'y', [
            int('num_groups', groups),
            float('epsilon', 1e-3),
          ]),
        ],
        opset,
        [values('scale', count, 1), values('bias', count, 2)],
      ),
      shape,
      normal(shape),
    );
});

test('attribute forms the importer does not honour are refused with the reason', () => {
  const at = (opType: string, attrs: OnnxNode['attrs']): OnnxNode => ({
    name: opType.toLowerCase(),
    opType,
    domain: '',
    inputs: ['x'],
    outputs: ['y'],
    attrs,
    index: 0,
  });
  assert.equal(
    whyRefused(at('DepthToSpace', { blocksize: 2, mode: 'XYZ' }), 13),
    'mode XYZ (DCR and CRD only)',
  );
  assert.equal(whyRefused(at('LRN', { alpha: 1e-4 }), 13), 'a missing or non-positive size');
  assert.equal(whyRefused(at('Celu', { alpha: 0 }), 13), 'alpha 0 (Celu divides by alpha)');
  assert.equal(
    whyRefused(at('LRN', { size: 4 }), 13),
    'an even size 4 (onnxruntime, which runs the exported model, takes odd sizes only)',
  );
  assert.equal(whyRefused(at('LRN', { size: 3 }), 13), undefined);
  assert.equal(whyRefused(at('GroupNormalization', {}), 18), 'a missing or non-positive num_groups');
  assert.equal(whyRefused(at('Einsum', { equation: 'ij->ji' }), 13), undefined);
  assert.equal(whyRefused(at('Einsum', {}), 13), 'no equation attribute');
  assert.equal(
    whyRefused(at('Einsum', { equation: 'ij,jk->ik' }), 13),
    "the equation 'ij,jk->ik' names 2 operand(s) but the node has 1",
  );
});
