/**
 * A model refused for its ops is told in one error that lists each refused op once, with how
 * many nodes use it and the first few names, so a Swin Transformer's 70 identical refusals read
 * as one line; a single node keeps its own position.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { OnnxImportError } from '../../../src/engine/onnx/importError';
import { encodeModel, namedNode, tensorInfo, weights } from './handWrittenOnnx';

test('refused ops are listed once each, with their count and first nodes', () => {
  const tans = ['t1', 't2', 't3', 't4', 't5'];
  const bytes = encodeModel({
    name: 'refused',
    input: [tensorInfo('x', ['batch', 4])],
    output: [tensorInfo('y', ['batch', 4])],
    initializer: [weights('w', [4, 4], 1)],
    node: [
      namedNode('MatMul', ['x', 'w'], 'h'),
      ...tans.map((t, i) => namedNode('Tan', [i ? tans[i - 1] : 'h'], t)),
      namedNode('Relu', ['t5'], 't6', [{ name: 'unknown', type: 2, i: 1 }]),
      namedNode('Atan', ['t6'], 'y'),
    ],
  });
  assert.throws(
    () => planImport(readOnnxModel(bytes)),
    (error: unknown) => {
      assert.ok(error instanceof OnnxImportError);
      assert.equal(error.unsupported.length, 7, 'every refused node is still reported to callers');
      assert.match(
        error.message,
        /Tan ×5 \(nodes t1, t2, t3, … 2 more; the first is 2 of 8\): no importer or gradient rule for this op; /,
      );
      assert.match(error.message, /; Relu \(node t6, 7 of 8\): attribute unknown not supported; /);
      assert.match(error.message, /; Atan \(node y, 8 of 8\): no importer or gradient rule for this op\. /);
      return true;
    },
  );
});
