/**
 * Constant folding beyond shape arithmetic (onnx/fold.ts): a subgraph whose inputs are all known
 * once the batch is fixed, float math included, is evaluated at import and becomes one constant,
 * so a sinusoidal position table computed from the sequence length builds no Sin or Cos node.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { importOnnxFile } from '../../../src/engine/onnx';
import { fold, type Known } from '../../../src/engine/onnx/fold';
import { importForward } from '../../../src/engine/onnx/importForward';
import type { OnnxNode } from '../../../src/engine/onnx/onnxFile';

const node = (opType: string, inputs: number, attrs: OnnxNode['attrs'] = {}): OnnxNode => ({
  name: opType,
  opType,
  domain: '',
  inputs: Array.from({ length: inputs }, (_, i) => `in${i}`),
  outputs: ['out'],
  attrs,
  index: 0,
});
const floats = (dims: number[], values: number[]): Known => ({ dtype: 'float32', dims, values });
const noShapes = () => undefined;

describe('constant folding of float math', () => {
  it('evaluates NonZero (torch.arange before opset 11) as the indices of the non-zero elements', () => {
    const [indices] = fold(node('NonZero', 1), [floats([2, 3], [1, 0, 2, 0, 0, 3])], noShapes)!;
    // Columns (0, 0), (0, 2), (1, 2): row indices first, then column indices.
    assert.deepEqual(indices, { dtype: 'int64', dims: [2, 3], values: [0, 0, 1, 0, 2, 2] });
  });

  it('evaluates Sin, Cos, Pow, Exp, Max, Min and Mod on known inputs as float32 / int64 would', () => {
    const x = floats([3], [0, 1, 2]);
    const one = (op: string, ...inputs: Known[]) =>
      fold(node(op, inputs.length), inputs, noShapes)?.[0].values;
    assert.deepEqual(one('Sin', x), [0, Math.fround(Math.sin(1)), Math.fround(Math.sin(2))]);
    assert.deepEqual(one('Cos', x), [1, Math.fround(Math.cos(1)), Math.fround(Math.cos(2))]);
    assert.deepEqual(one('Pow', floats([], [10000]), floats([2], [0, 0.5])), [1, 100]);
    assert.deepEqual(one('Exp', floats([1], [0])), [1]);
    assert.deepEqual(
      one('Max', x, floats([], [1]), floats([3, 1], [0, 1.5, 3])),
      [1, 1, 2, 1.5, 1.5, 2, 3, 3, 3],
    );
    assert.deepEqual(one('Min', x, floats([], [1])), [0, 1, 1]);
    const ints = (values: number[]): Known => ({ dtype: 'int64', dims: [values.length], values });
    assert.deepEqual(one('Mod', ints([-7, 7]), ints([3, -3])), [2, -2]);
    assert.deepEqual(
      fold(node('Mod', 2, { fmod: 1 }), [ints([-7, 7]), ints([3, -3])], noShapes)?.[0].values,
      [-1, 1],
    );
  });

  it("evaluates ReduceProd and ReduceSum (x.std()'s element count) over attribute or input axes", () => {
    const ints = (dims: number[], values: number[]): Known => ({ dtype: 'int64', dims, values });
    const x = ints([2, 3], [1, 2, 3, 4, 5, 6]);
    const reduce = (op: string, attrs: OnnxNode['attrs'], ...inputs: Known[]) =>
      fold(node(op, inputs.length, attrs), inputs, noShapes)?.[0];
    assert.deepEqual(reduce('ReduceProd', { keepdims: 0 }, ints([1], [7])), {
      dtype: 'int64',
      dims: [],
      values: [7],
    });
    assert.deepEqual(reduce('ReduceProd', { axes: [1] }, x), {
      dtype: 'int64',
      dims: [2, 1],
      values: [6, 120],
    });
    assert.deepEqual(reduce('ReduceSum', { keepdims: 0 }, x, ints([1], [0])), {
      dtype: 'int64',
      dims: [3],
      values: [5, 7, 9],
    });
    assert.deepEqual(reduce('ReduceSum', { keepdims: 0 }, x)?.values, [21]);
  });

  it('evaluates GreaterOrEqual, LessOrEqual, Or, Xor and Trilu (a causal mask) on known inputs', () => {
    const one = (op: string, attrs: OnnxNode['attrs'], ...inputs: Known[]) =>
      fold(node(op, inputs.length, attrs), inputs, noShapes)?.[0].values;
    const x = floats([3], [0, 1, 2]);
    const bools = (values: number[]): Known => ({ dtype: 'bool', dims: [values.length], values });
    assert.deepEqual(one('GreaterOrEqual', {}, x, floats([], [1])), [0, 1, 1]);
    assert.deepEqual(one('LessOrEqual', {}, x, floats([], [1])), [1, 1, 0]);
    assert.deepEqual(one('Or', {}, bools([0, 0, 1, 1]), bools([0, 1, 0, 1])), [0, 1, 1, 1]);
    assert.deepEqual(one('Xor', {}, bools([0, 0, 1, 1]), bools([0, 1, 0, 1])), [0, 1, 1, 0]);
    const ones = floats([2, 3, 3], new Array<number>(18).fill(1));
    const causal = [1, 0, 0, 1, 1, 0, 1, 1, 1];
    assert.deepEqual(one('Trilu', { upper: 0 }, ones), [...causal, ...causal]);
    assert.deepEqual(
      one('Trilu', {}, floats([2, 3], [1, 2, 3, 4, 5, 6]), { dtype: 'int64', dims: [], values: [1] }),
      [0, 2, 3, 0, 0, 6],
    );
  });

  it("evaluates ScatterND (Swin's shifted-window mask, built by slice assignment) on known inputs", () => {
    const ints = (dims: number[], values: number[]): Known => ({ dtype: 'int64', dims, values });
    // Rows 2 and 0 of a 3×2 zero image get [5, 6] and [7, 8]; index −1 is the last row.
    const rows = fold(
      node('ScatterND', 3),
      [floats([3, 2], [0, 0, 0, 0, 0, 0]), ints([2, 1], [2, 0]), floats([2, 2], [5, 6, 7, 8])],
      noShapes,
    )?.[0];
    assert.deepEqual(rows, floats([3, 2], [7, 8, 0, 0, 5, 6]));
    const cells = fold(
      node('ScatterND', 3),
      [floats([2, 2], [1, 1, 1, 1]), ints([2, 2], [0, 1, -1, 0]), floats([2], [4, 9])],
      noShapes,
    )?.[0];
    assert.deepEqual(cells?.values, [1, 4, 9, 1]);
    const summed = node('ScatterND', 3, { reduction: 'add' });
    assert.equal(fold(summed, [floats([1], [1]), ints([1, 1], [0]), floats([1], [2])], noShapes), undefined);
  });

  it("evaluates Expand (Swin's mask broadcast over the windows) on known inputs", () => {
    const ints = (values: number[]): Known => ({ dtype: 'int64', dims: [values.length], values });
    const expand = (x: Known, shape: number[]) => fold(node('Expand', 2), [x, ints(shape)], noShapes)?.[0];
    assert.deepEqual(
      expand(floats([3, 1], [1, 2, 3]), [2, 1, 2]),
      floats([2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]),
    );
    // A 1 in the shape keeps the input's extent, as in broadcasting.
    assert.deepEqual(expand(floats([2, 2], [1, 2, 3, 4]), [1, 1]), floats([2, 2], [1, 2, 3, 4]));
    assert.equal(expand(floats([2], [1, 2]), [3]), undefined, 'extents that do not broadcast');
  });

  it('leaves a node with an unknown input to the graph', () => {
    assert.equal(fold(node('Sin', 1), [undefined], noShapes), undefined);
  });

  it('a sinusoidal position table computed from the sequence length imports as one constant', () => {
    const plan = importOnnxFile(
      join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'text-cnn-sinusoidal-opset17.onnx'),
    );
    assert.ok(plan.nodes.some((n) => n.opType === 'Sin') && plan.nodes.some((n) => n.opType === 'Cos'));
    const b = new GraphBuilder();
    const x = b.input('x', 'int64', [2, ...plan.inputShape]);
    importForward(plan, x, { b, mode: 'train', param: (p) => b.input(p.name, 'float32', p.shape) });
    const built = new Set(b.nodes.map((n) => n.opType));
    for (const op of ['Sin', 'Cos', 'Pow', 'Range']) assert.ok(!built.has(op), `${op} among ${[...built]}`);
    assert.ok(built.has('ReduceMax'));
  });
});
