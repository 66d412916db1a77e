/**
 * A LayerNorm exported before opset 17 as ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add
 * is built as one LayerNormalization (decomposedLayerNorm.ts), and then, when only a linear reads
 * it, as the normalized linear. The compatibility check compares the forward with onnxruntime
 * running the original file (ε is 0.1 here, so a lost or misplaced ε shows) and the gradients with
 * finite differences; the model summary keeps the norm's scale and shift on its row.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { importedNodes, planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import {
  assertChecksOut,
  encodeModel,
  namedNode as node,
  scalarConstant,
  tensorInfo,
  weights,
} from './handWrittenOnnx';

const lastAxis = [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [-1] }];

/** PyTorch's opset-14 LayerNorm of x over its last axis into `y`, with scale `gamma` and shift `beta` if given. */
const layerNorm = (x: string, y: string, beta = true): onnx.INodeProto[] => [
  node('ReduceMean', [x], 'mean', lastAxis),
  node('Sub', [x, 'mean'], 'centered'),
  node('Pow', ['centered', 'two'], 'squared'),
  node('ReduceMean', ['squared'], 'variance', lastAxis),
  node('Add', ['variance', 'epsilon'], 'shifted_variance'),
  node('Sqrt', ['shifted_variance'], 'deviation'),
  node('Div', ['centered', 'deviation'], 'normalized'),
  node('Mul', ['normalized', 'gamma'], beta ? 'scaled' : y),
  ...(beta ? [node('Add', ['scaled', 'beta'], y)] : []),
];

/**
 * x [batch, 4, 6] → LayerNorm = n → n · w [6, 5] + bias = y; `residual`: y = Tanh(n)·w + bias + n·w2, so
 * the norm's output has two readers (no folding); `centeredAlsoRead`: x − mean is also added into y.
 */
function model(options: { beta?: boolean; residual?: boolean; centeredAlsoRead?: boolean } = {}): Uint8Array {
  const { beta = true, residual = false, centeredAlsoRead = false } = options;
  const initializer = [
    weights('gamma', [6], 1),
    ...(beta ? [weights('beta', [6], 2)] : []),
    weights('w', [6, 5], 3),
    weights('bias', [5], 4),
    ...(residual || centeredAlsoRead ? [weights('w2', [6, 5], 5)] : []),
  ];
  const tail = centeredAlsoRead ? ['centered'] : residual ? ['n'] : [];
  return encodeModel(
    {
      name: 'decomposed-layer-norm',
      input: [tensorInfo('x', ['batch', 4, 6])],
      output: [tensorInfo('y', ['batch', 4, 5])],
      initializer,
      node: [
        scalarConstant('two', 2),
        scalarConstant('epsilon', 0.1),
        ...layerNorm('x', 'n', beta),
        ...(residual ? [node('Tanh', ['n'], 't')] : []),
        node('MatMul', [residual ? 't' : 'n', 'w'], 'p'),
        node('Add', ['p', 'bias'], tail.length ? 'q' : 'y'),
        ...(tail.length ? [node('MatMul', [tail[0], 'w2'], 'r'), node('Add', ['q', 'r'], 'y')] : []),
      ],
    },
    14,
  );
}

/** The engine's training graph op types for an imported model's forward. */
function ops(bytes: Uint8Array): string[] {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  importForward(plan, b.input('x', 'float32', [3, 4, 6]), {
    b,
    mode: 'train',
    param: (p) => b.input(p.name, 'float32', p.shape),
  });
  return b.nodes.map((n) => n.opType);
}

const ARITHMETIC = ['ReduceMean', 'Pow', 'Sqrt', 'Div'];

describe('LayerNorm exported as its arithmetic (opsets before 17)', () => {
  it('before a linear: one unit-scale LayerNormalization and one Gemm; forward equals onnxruntime, gradients of γ, the weight and the bias equal finite differences', async () => {
    const bytes = model();
    const built = ops(bytes);
    assert.deepEqual(
      built.filter((op) => ARITHMETIC.includes(op) || op === 'LayerNormalization'),
      ['LayerNormalization'],
    );
    assert.ok(built.includes('Gemm'), built.join(', '));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['gamma', 'w', 'bias']);
  });

  it('read by more than a linear, and without a shift: a LayerNormalization with its scale; same checks', async () => {
    for (const bytes of [model({ residual: true }), model({ residual: true, beta: false })]) {
      const built = ops(bytes);
      assert.deepEqual(
        built.filter((op) => ARITHMETIC.includes(op) || op === 'LayerNormalization'),
        ['LayerNormalization'],
      );
      assertChecksOut(await checkCompatibility(readOnnxModel(bytes)));
    }
  });

  it('x − mean read elsewhere too: built node by node as written, and still checks out', async () => {
    const bytes = model({ centeredAlsoRead: true });
    const built = ops(bytes);
    assert.ok(!built.includes('LayerNormalization'));
    assert.ok(built.includes('Pow') && built.includes('Sqrt'), built.join(', '));
    assertChecksOut(await checkCompatibility(readOnnxModel(bytes)));
  });

  it('the model summary lists the norm with its scale and shift, and the product after it', () => {
    const rows = importedNodes(planImport(readOnnxModel(model({ residual: true }))), 3);
    const norm = rows.find((r) => r.node.opType === 'LayerNormalization');
    assert.deepEqual(norm?.node.inputs, ['x', 'gamma', 'beta']);
    assert.deepEqual(norm?.outputShapes, [[3, 4, 6]]);
    assert.ok(!rows.some((r) => ARITHMETIC.includes(r.node.opType)));
  });
});
