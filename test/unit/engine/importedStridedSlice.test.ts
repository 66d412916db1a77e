/**
 * Slice with steps above 1 (x[:, 0::2, 1::2], Swin Transformer's patch merging) imported: its
 * output against onnxruntime running the node itself, and its gradient (dy spread back to every
 * step-th position) against finite differences, where the last step runs past the axis' end.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { Rng } from '../../../src/engine/init';
import { importForward } from '../../../src/engine/onnx/importForward';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkImportedNode, int64s, nodeModel } from './importedNodeCheck';

const rng = new Rng(31);

/** x [shape] · w → Slice(starts, ends, axes, steps) → y. */
const sliceModel = (shape: number[], starts: number[], ends: number[], axes: number[], steps: number[]) =>
  nodeModel(
    shape,
    [{ opType: 'Slice', input: ['h', 'starts', 'ends', 'axes', 'steps'], output: ['y'] }],
    13,
    [int64s('starts', starts), int64s('ends', ends), int64s('axes', axes), int64s('steps', steps)],
  );

for (const [shape, starts, ends, axes, steps, what] of [
  [
    [2, 6, 6, 3],
    [0, 0],
    [9e18, 9e18],
    [1, 2],
    [2, 2],
    "every second row and column (Swin's x[:, 0::2, 0::2])",
  ],
  [[2, 7, 5, 3], [1, 0], [9e18, 9e18], [1, 2], [2, 2], 'odd extents: the last step runs past the end'],
  [[2, 8, 4], [-7, 1], [7, 4], [1, 2], [3, 1], 'a negative start, step 3 on one axis and 1 on another'],
] as const)
  test(`Slice with steps: ${what}`, async () => {
    const dims = [...shape];
    const x = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.normal());
    await checkImportedNode(sliceModel(dims, [...starts], [...ends], [...axes], [...steps]), dims, x);
  });

test('Slice with a negative step (a flip) is refused with the reason', () => {
  const plan = planImport(readOnnxModel(sliceModel([2, 4, 3], [-1], [-9e18], [1], [-1])));
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 4, 3]);
  const param = (p: (typeof plan.parameters)[number]) => b.constant(p.data, p.shape);
  assert.throws(() => importForward(plan, x, { b, mode: 'eval', param }), /positive steps/);
});
