/**
 * PyTorch's masked_fill(mask == 0, -inf) before a softmax, as causal attention exports it
 * (Where(Equal(mask, 0), −∞, scores) → Softmax), is built as Softmax(scores + (0 or −∞)) when the
 * mask is a constant (fusedPatterns.ts, fusedForms.ts): the same values, and a backward without the
 * Where's pass. The compatibility check compares the forward with onnxruntime running the original
 * file and the gradient of the weight before it with finite differences, so a wrong mask fails it;
 * a mask that depends on the input stays a Where.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import { assertChecksOut, encodeModel, FLOAT, scalarConstant, tensorInfo, weights } from './handWrittenOnnx';

const node = (opType: string, input: string[], output: string): onnx.INodeProto => ({
  name: output,
  opType,
  input,
  output: [output],
});

/** 1 on and below the diagonal of a [3, 3] matrix: which positions each one may attend to. */
const causal: onnx.ITensorProto = {
  name: 'causal',
  dims: [3, 3],
  dataType: FLOAT,
  floatData: [1, 0, 0, 1, 1, 0, 1, 1, 1],
};

/**
 * x [batch, 3, 4] · w [4, 3] = s; p = Softmax(Where(condition, −∞, s)) (or Where(condition, s, −∞)
 * with `fillWhenFalse`); y = p · x · head [4, 2].
 */
function model(condition: onnx.INodeProto[], fillWhenFalse = false): Uint8Array {
  return encodeModel(
    {
      name: 'masked-softmax',
      input: [tensorInfo('x', ['batch', 3, 4])],
      output: [tensorInfo('y', ['batch', 3, 2])],
      initializer: [weights('w', [4, 3], 1), weights('head', [4, 2], 2), causal],
      node: [
        scalarConstant('zero', 0),
        scalarConstant('minus_inf', -Infinity),
        node('MatMul', ['x', 'w'], 's'),
        ...condition,
        node('Where', fillWhenFalse ? ['cond', 's', 'minus_inf'] : ['cond', 'minus_inf', 's'], 'masked'),
        { ...node('Softmax', ['masked'], 'p'), attribute: [{ name: 'axis', type: 2, i: -1 }] },
        node('MatMul', ['p', 'x'], 'mixed'),
        node('MatMul', ['mixed', 'head'], 'y'),
      ],
    },
    17,
  );
}

/** The engine graph's op types for an imported model's forward. */
function ops(bytes: Uint8Array): string[] {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  importForward(plan, b.input('x', 'float32', [2, 3, 4]), {
    b,
    mode: 'train',
    param: (p) => b.input(p.name, 'float32', p.shape),
  });
  return b.nodes.map((n) => n.opType);
}

describe('masked softmax of imported models', () => {
  it('a constant mask with −∞ where it holds: an Add, no Where; forward equals onnxruntime, gradients equal finite differences', async () => {
    const bytes = model([node('Equal', ['causal', 'zero'], 'cond')]);
    const built = ops(bytes);
    assert.ok(!built.includes('Where') && built.includes('Add'), built.join(', '));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w', 'head']);
  });

  it('−∞ where the mask does not hold: the same', async () => {
    const bytes = model([node('Greater', ['causal', 'zero'], 'cond')], true);
    assert.ok(!ops(bytes).includes('Where'));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w', 'head']);
  });

  it('a mask that depends on the input stays a Where, and still checks out', async () => {
    const bytes = model([node('Greater', ['s', 'zero'], 'cond')], true);
    assert.ok(ops(bytes).includes('Where'));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w', 'head']);
  });
});
