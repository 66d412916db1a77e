/**
 * A LayerNormalization whose output only a MatMul by a weight reads (and the product only a bias
 * Add), as PyTorch exports LayerNorm followed by Linear, is built as the engine's normalized
 * linear (fusedPatterns.ts, fusedForms.ts): a unit-scale norm with γ and β folded into the weight
 * and bias. The compatibility check compares the forward with onnxruntime running the original
 * file and the gradients of γ, β, the weight and the bias with finite differences, so a wrong fold
 * fails it; a norm whose output is also read elsewhere stays as it is.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { importedNodes, planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import { nodeMacs } from '../../../src/engine/onnx/nodeProducts';
import { assertChecksOut, encodeModel, namedNode as node, tensorInfo, weights } from './handWrittenOnnx';

const lastAxis = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }];

/**
 * x [batch, 4, 6] → LayerNormalization(x, gamma, beta?) = n → n · w [6, 5] (+ bias) = y
 * [batch, 4, 5]; `initializers` in the order given (the check looks at the first, middle and last
 * parameter's gradient); `alsoRead` adds n · w2 to y, so the norm's output has two readers.
 */
function model(initializers: string[], alsoRead = false): Uint8Array {
  const dims: Record<string, number[]> = { gamma: [6], beta: [6], w: [6, 5], bias: [5], w2: [6, 5] };
  const has = (name: string) => initializers.includes(name);
  const product = has('bias') || alsoRead ? 'p' : 'y';
  return encodeModel(
    {
      name: 'normalized-linear',
      input: [tensorInfo('x', ['batch', 4, 6])],
      output: [tensorInfo('y', ['batch', 4, 5])],
      initializer: initializers.map((name, i) => weights(name, dims[name], i + 1)),
      node: [
        node('LayerNormalization', ['x', 'gamma', ...(has('beta') ? ['beta'] : [])], 'n', lastAxis),
        node('MatMul', ['n', 'w'], product),
        ...(has('bias') ? [node('Add', ['bias', 'p'], alsoRead ? 'q' : 'y')] : []),
        ...(alsoRead
          ? [node('MatMul', ['n', 'w2'], 'r'), node('Add', [has('bias') ? 'q' : 'p', 'r'], 'y')]
          : []),
      ],
    },
    17,
  );
}

/** The engine graph an imported model's forward builds: its LayerNormalization nodes' input counts, and its node types. */
function built(bytes: Uint8Array): { normInputs: number[]; ops: string[] } {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  importForward(plan, b.input('x', 'float32', [3, 4, 6]), {
    b,
    mode: 'train',
    param: (p) => b.input(p.name, 'float32', p.shape),
  });
  return {
    normInputs: b.nodes.filter((n) => n.opType === 'LayerNormalization').map((n) => n.inputs.length),
    ops: b.nodes.map((n) => n.opType),
  };
}

describe('LayerNormalization before a linear in imported models', () => {
  it('with shift and bias: a unit-scale norm and one Gemm; forward equals onnxruntime, the gradients of γ, the weight and the bias equal finite differences', async () => {
    const bytes = model(['gamma', 'w', 'beta', 'bias']);
    const { normInputs, ops } = built(bytes);
    assert.deepEqual(normInputs, [2], 'the norm runs with a constant unit scale and no shift');
    assert.ok(ops.includes('Gemm'), `no Gemm among ${ops.join(', ')}`);
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['gamma', 'w', 'bias']);
  });

  it('without bias: the gradients of γ, β and the weight equal finite differences', async () => {
    const bytes = model(['gamma', 'w', 'beta']);
    assert.deepEqual(built(bytes).normInputs, [2]);
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['gamma', 'beta', 'w']);
  });

  it('without shift or bias: the gradients of γ and the weight equal finite differences', async () => {
    const bytes = model(['gamma', 'w']);
    assert.deepEqual(built(bytes).normInputs, [2]);
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['gamma', 'w']);
  });

  it('the model summary still counts the product inside the composite', () => {
    const plan = planImport(readOnnxModel(model(['gamma', 'w', 'beta', 'bias'])));
    assert.equal(
      importedNodes(plan, 3).reduce((a, n) => a + nodeMacs(n), 0),
      3 * 4 * 6 * 5,
    );
  });

  it('a norm whose output is also read elsewhere keeps its scale and shift, and still checks out', async () => {
    const bytes = model(['gamma', 'w', 'beta', 'bias', 'w2'], true);
    assert.deepEqual(built(bytes).normInputs, [3]);
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['gamma', 'w', 'w2']);
  });
});
