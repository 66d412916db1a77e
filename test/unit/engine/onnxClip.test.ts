/**
 * Clip (PyTorch's ReLU6, Hardtanh and clamp export to it) with constant bounds: both, only min, only
 * max. The compatibility check compares the forward with onnxruntime and the gradients with finite
 * differences; the bounds stay constants, never trainable.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { assertChecksOut, encodeModel, scalarConstant, tensorInfo, weights } from './handWrittenOnnx';

const scalar = scalarConstant;

/** x [batch, 6] · w1 → Clip(min?, max?) → · w2 → y [batch, 2]; the sines of w1 spread h over ±1.5. */
function clipModel(min: number | undefined, max: number | undefined): Uint8Array {
  return encodeModel({
    name: 'clip',
    input: [tensorInfo('x', ['batch', 6])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: [weights('w1', [6, 6], 1), weights('w2', [6, 2], 2)],
    node: [
      scalar('lo', min ?? 0),
      scalar('hi', max ?? 0),
      { name: 'mm1', opType: 'MatMul', input: ['x', 'w1'], output: ['h'] },
      {
        name: 'clip',
        opType: 'Clip',
        input: ['h', min === undefined ? '' : 'lo', max === undefined ? '' : 'hi'],
        output: ['c'],
      },
      { name: 'mm2', opType: 'MatMul', input: ['c', 'w2'], output: ['y'] },
    ],
  });
}

describe('Clip', () => {
  for (const [min, max] of [
    [0, 0.5],
    [-0.2, undefined],
    [undefined, 0.3],
  ] as const)
    it(`min ${min ?? 'none'}, max ${max ?? 'none'}: the forward equals onnxruntime, gradients equal finite differences`, async () => {
      const report = await checkCompatibility(readOnnxModel(clipModel(min, max)));
      assertChecksOut(report, ['w1', 'w2']);
      assert.equal(report.parameters, 48, 'w1 and w2 train, the bounds do not');
    });
});
