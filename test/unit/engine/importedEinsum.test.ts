/**
 * Einsum (torch.einsum) as the importer lowers it (onnx/einsumOps.ts): each equation as a model
 * x · w → Einsum(h, weights…) → y, imported, against onnxruntime running the Einsum node itself
 * (forward), and the gradients of x, w and every other operand against finite differences; and
 * the equations it refuses, with a reason naming the node.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { importForward } from '../../../src/engine/onnx/importForward';
import { OnnxImportError } from '../../../src/engine/onnx/importError';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { Rng } from '../../../src/engine/init';
import { namedNode, weights } from './handWrittenOnnx';
import { checkImportedNode, nodeModel } from './importedNodeCheck';

/** x [xShape] · w → h; y = Einsum(h, o1, o2…) with the other operands constant weights of `others` shapes. */
function einsumModel(equation: string, xShape: number[], others: number[][]): Uint8Array {
  const names = others.map((_, i) => `o${i + 1}`);
  const attr = {
    name: 'equation',
    type: onnx.AttributeProto.AttributeType.STRING,
    s: new TextEncoder().encode(equation),
  };
  return nodeModel(
    xShape,
    [namedNode('Einsum', ['h', ...names], 'y', [attr])],
    17,
    others.map((dims, i) => weights(names[i], dims, i + 2)),
  );
}

const rng = new Rng(7);
const randomX = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rng.uniform() * 2 - 1);

const CASES: [string, number[], number[][]][] = [
  ['bij,bjk->bik', [2, 3, 4], [[2, 4, 5]]],
  ['bhid,bhjd->bhij', [2, 2, 3, 4], [[2, 2, 5, 4]]],
  ['bi,bi->b', [3, 4], [[3, 4]]],
  ['ij->ji', [3, 4], []],
  ['ij->j', [3, 4], []],
  ['ij,jk', [3, 4], [[4, 2]]],
  ['bij,bjk', [2, 3, 4], [[2, 4, 5]]],
  ['kj,ji', [3, 4], [[4, 2]]],
  ['bA,bc->Ac', [3, 4], [[3, 2]]],
  ['iB,jB', [3, 4], [[2, 4]]],
  [
    'ij,jk,il->kl',
    [3, 4],
    [
      [4, 2],
      [3, 5],
    ],
  ],
  ['bi,bi->i', [3, 4], [[1, 4]]],
  ['...ij,...jk->...ik', [2, 1, 3, 4], [[1, 3, 4, 2]]],
  ['...ij,jk', [2, 3, 4], [[4, 5]]],
  [
    'bi,oij,bj->bo',
    [2, 3],
    [
      [4, 3, 5],
      [2, 5],
    ],
  ],
  ['i,j->ij', [3], [[4]]],
  ['bi,bi->bi', [3, 4], [[3, 4]]],
  ['ij,jk->i', [3, 4], [[4, 2]]],
  ['i,i->', [4], [[4]]],
  ['ii->i', [3, 3], []],
  [' b i j , b j k -> b k i ', [2, 3, 4], [[1, 4, 5]]],
];

for (const [equation, xShape, others] of CASES)
  test(`Einsum '${equation}' of x ${JSON.stringify(xShape)} and ${JSON.stringify(others)}: onnxruntime's values, finite-difference gradients`, async () => {
    await checkImportedNode(einsumModel(equation, xShape, others), xShape, randomX(xShape));
  });

/** The import of an Einsum model, run to its output. */
const importEinsum = (bytes: Uint8Array, xShape: number[]) => {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  const param = (p: (typeof plan.parameters)[number]) => b.constant(p.data, p.shape);
  importForward(plan, b.input('x', 'float32', xShape), { b, mode: 'eval', param });
};

test('Einsum of a letter whose sizes disagree is refused, naming the node and the letter', () => {
  assert.throws(
    () => importEinsum(einsumModel('ij,jk->ik', [3, 4], [[5, 2]]), [3, 4]),
    (error: unknown) => {
      assert.ok(error instanceof OnnxImportError);
      assert.match(
        error.message,
        /Einsum node y \(2 of 2\): the letter j of 'ij,jk->ik' has size 4 in one operand and 5 in another/,
      );
      return true;
    },
  );
});

test('Einsum equations that do not fit the node are refused before import, each with its reason', () => {
  for (const [equation, others, reason] of [
    ['ij,jk->ik', [], /names 2 operand\(s\) but the node has 1/],
    ['i#j->ij', [], /the character '#'/],
    ['ij->ii', [], /repeats the letter i/],
    ['ij->k', [], /the letter k, which no operand has/],
    ['i...j...->ij', [], /more than one '\.\.\.'/],
    ['...j->j', [], /have '\.\.\.' but its output has none: keep '\.\.\.' in the output/],
    ['ij->...ij', [], /has '\.\.\.' but no operand has/],
  ] as [string, number[][], RegExp][])
    assert.throws(
      () => planImport(readOnnxModel(einsumModel(equation, [3, 4], others))),
      (error: unknown) => {
        assert.ok(error instanceof OnnxImportError);
        assert.match(error.message, /Einsum \(node y, 2 of 2\)/);
        assert.match(error.message, reason);
        return true;
      },
    );
});

test('Einsum whose term names more axes than its operand has is refused with the ranks', () => {
  assert.throws(
    () => importEinsum(einsumModel('ijk->k', [3, 4], []), [3, 4]),
    /rank 2 but its term names 3 axes/,
  );
});
