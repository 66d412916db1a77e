/**
 * The exact GELU as PyTorch exports it before opset 20 (Div, Erf, Add, Mul, Mul) and its usual
 * variants are built as the engine's one Gelu composite (fusedPatterns.ts), whose single gradient
 * rule needs fewer passes than the five nodes'; the Gelu op (opset 20) too. The compatibility
 * check compares each forward with onnxruntime running the original file and the gradients with
 * finite differences; a pattern whose intermediate value is read elsewhere stays node by node.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import { assertChecksOut, encodeModel, scalarConstant, tensorInfo, weights } from './handWrittenOnnx';

const scalar = scalarConstant;
const node = (opType: string, input: string[], output: string): onnx.INodeProto => ({
  name: output,
  opType,
  input,
  output: [output],
});

/** x [batch, 6] · w1 = h → GELU nodes `gelu` → g · w2 → y [batch, 2] (+ `extra` · w3 when given). */
function model(gelu: onnx.INodeProto[], opset = 17, extra?: string): Uint8Array {
  return encodeModel(
    {
      name: 'gelu',
      input: [tensorInfo('x', ['batch', 6])],
      output: [tensorInfo('y', ['batch', 2])],
      initializer: [
        weights('w1', [6, 6], 1),
        weights('w2', [6, 2], 2),
        ...(extra ? [weights('w3', [6, 2], 3)] : []),
      ],
      node: [
        scalar('root2', Math.SQRT2),
        scalar('invroot2', Math.SQRT1_2),
        scalar('one', 1),
        scalar('half', 0.5),
        node('MatMul', ['x', 'w1'], 'h'),
        ...gelu,
        node('MatMul', ['g', 'w2'], extra ? 'z' : 'y'),
        ...(extra ? [node('MatMul', [extra, 'w3'], 'r'), node('Add', ['z', 'r'], 'y')] : []),
      ],
    },
    opset,
  );
}

const VARIANTS: Record<string, onnx.INodeProto[]> = {
  "PyTorch's: Mul(Mul(h, Add(Erf(Div(h, √2)), 1)), 0.5)": [
    node('Div', ['h', 'root2'], 'u'),
    node('Erf', ['u'], 'e'),
    node('Add', ['e', 'one'], 'a'),
    node('Mul', ['h', 'a'], 'm'),
    node('Mul', ['m', 'half'], 'g'),
  ],
  'constants first, h·(1/√2)': [
    node('Mul', ['invroot2', 'h'], 'u'),
    node('Erf', ['u'], 'e'),
    node('Add', ['one', 'e'], 'a'),
    node('Mul', ['a', 'h'], 'm'),
    node('Mul', ['half', 'm'], 'g'),
  ],
  'halved first: Mul(Mul(h, 0.5), 1 + erf)': [
    node('Mul', ['h', 'half'], 'm'),
    node('Div', ['h', 'root2'], 'u'),
    node('Erf', ['u'], 'e'),
    node('Add', ['e', 'one'], 'a'),
    node('Mul', ['m', 'a'], 'g'),
  ],
};

/** The op types of the engine graph an imported model's forward builds, and whether it holds a Gelu composite. */
function built(bytes: Uint8Array): { ops: string[]; composite: boolean } {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  importForward(plan, b.input('x', 'float32', [3, 6]), {
    b,
    mode: 'train',
    param: (p) => b.input(p.name, 'float32', p.shape),
  });
  return {
    ops: b.nodes.map((n) => n.opType),
    composite: b.nodes.some((n) => n.composite?.rule === 'gelu'),
  };
}

describe('GELU of imported models', () => {
  for (const [name, nodes] of Object.entries(VARIANTS)) {
    it(`${name}: one Gelu composite; forward equals onnxruntime, gradients equal finite differences`, async () => {
      const bytes = model(nodes);
      const { ops, composite } = built(bytes);
      assert.ok(composite, `no Gelu composite among ${ops.join(', ')}`);
      assert.equal(ops.filter((op) => op === 'Div').length, 0, 'the Div of the pattern is not built');
      assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w1', 'w2']);
    });
  }

  it('the Gelu op (opset 20) is the same composite', async () => {
    const bytes = model([node('Gelu', ['h'], 'g')], 20);
    assert.ok(built(bytes).composite);
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w1', 'w2']);
  });

  it('a pattern whose erf is also read elsewhere is built node by node, and still checks out', async () => {
    const bytes = model(Object.values(VARIANTS)[0], 17, 'e');
    const { ops, composite } = built(bytes);
    assert.ok(!composite);
    assert.ok(ops.includes('Erf') && ops.includes('Div'));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['w1', 'w2', 'w3']);
  });

  it('a near-miss (x·0.5·(1 + erf(x/2))) is not taken for a GELU', () => {
    const nodes = Object.values(VARIANTS)[0].map((n) =>
      n.opType === 'Div' ? { ...n, input: ['h', 'two'] } : n,
    );
    const bytes = model([scalar('two', 2), ...nodes]);
    assert.ok(!built(bytes).composite);
  });
});
