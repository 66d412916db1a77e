/**
 * Attention scores as PyTorch exports them, MatMul(q, Transpose(k, [0, 2, 3, 1])) · scale, train in
 * CPU training graphs as one FusedMatMul reading k transposed in place with the scale as its alpha
 * (fusedPatterns.ts `transposedProduct`): k keeps only the [0, 2, 1, 3] heads transpose. The
 * training forward is compared with the eval forward (the user's graph as written) through
 * onnxruntime, and the gradients with finite differences (the compatibility check), so a wrong
 * operand order, permutation or scale fails; eval graphs keep the standard ops.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { FloatAttr, GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { importForward } from '../../../src/engine/onnx/importForward';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { assertChecksOut, encodeModel, scalarConstant, tensorInfo, weights } from './handWrittenOnnx';

const INTS = onnx.AttributeProto.AttributeType.INTS;
const node = (opType: string, input: string[], output: string, perm?: number[]): onnx.INodeProto => ({
  name: output,
  opType,
  input,
  output: [output],
  attribute: perm ? [{ name: 'perm', type: INTS, ints: perm }] : [],
});
const heads: onnx.ITensorProto = {
  name: 'heads',
  dims: [4],
  dataType: onnx.TensorProto.DataType.INT64,
  int64Data: [-1, 3, 2, 2],
};
const rows: onnx.ITensorProto = { ...heads, name: 'rows', dims: [3], int64Data: [-1, 3, 4] };

/**
 * x [batch, 3, 4]; q, k = x·wq, x·wk split into 2 heads of 2 ([batch, 2, 3, 2], k as [batch, 2, 2, 3]:
 * one [0, 2, 3, 1] Transpose, or with `swapOnly` the heads' [0, 2, 1, 3] and then [0, 1, 3, 2]);
 * p = Softmax(scale(q·k)); y = (p·q heads joined back) · head [4, 2]. `scale`: the node after the
 * product; `kAlsoRead`: the transposed k is read again (its sum added to y).
 */
function model(options: { swapOnly?: boolean; scale?: 'Mul' | 'Div'; kAlsoRead?: boolean } = {}): Uint8Array {
  const { swapOnly = false, scale = 'Mul', kAlsoRead = false } = options;
  return encodeModel(
    {
      name: 'transposed-product',
      input: [tensorInfo('x', ['batch', 3, 4])],
      output: [tensorInfo('y', ['batch', 3, 2])],
      initializer: [
        weights('wq', [4, 4], 1),
        weights('wk', [4, 4], 2),
        weights('head', [4, 2], 3),
        heads,
        rows,
      ],
      node: [
        scalarConstant('factor', scale === 'Mul' ? 0.7 : 1.4),
        node('MatMul', ['x', 'wq'], 'q'),
        node('Reshape', ['q', 'heads'], 'q4'),
        node('Transpose', ['q4'], 'qh', [0, 2, 1, 3]),
        node('MatMul', ['x', 'wk'], 'k'),
        node('Reshape', ['k', 'heads'], 'k4'),
        ...(swapOnly
          ? [node('Transpose', ['k4'], 'kh', [0, 2, 1, 3]), node('Transpose', ['kh'], 'kt', [0, 1, 3, 2])]
          : [node('Transpose', ['k4'], 'kt', [0, 2, 3, 1])]),
        node('MatMul', ['qh', 'kt'], 's'),
        node(scale, ['s', 'factor'], 'scaled'),
        node('Softmax', ['scaled'], 'p'),
        node('MatMul', ['p', 'qh'], 'mixed'),
        node('Transpose', ['mixed'], 'joined', [0, 2, 1, 3]),
        node('Reshape', ['joined', 'rows'], 'flat'),
        node('MatMul', ['flat', 'head'], kAlsoRead ? 'out' : 'y'),
        ...(kAlsoRead
          ? [
              {
                ...node('ReduceSum', ['kt'], 'ksum'),
                attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
              },
              node('Add', ['out', 'ksum'], 'y'),
            ]
          : []),
      ],
    },
    17,
  );
}

/** The imported forward built in `mode` at batch 2: its nodes, and its output on x through onnxruntime. */
async function forward(bytes: Uint8Array, mode: 'train' | 'eval') {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 3, 4]);
  const feeds: Record<string, ReturnType<typeof tensor>> = {
    x: tensor(
      'float32',
      Float32Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.9)),
      [2, 3, 4],
    ),
  };
  const y = importForward(plan, x, {
    b,
    mode,
    param: (p) => {
      feeds[p.name] = tensor('float32', p.data, p.shape);
      return b.input(p.name, 'float32', p.shape);
    },
  });
  b.output(y, 'y');
  const session = await openSession(serializeModel(b));
  try {
    const result = await session.run(feeds);
    return { nodes: b.nodes, y: result.y.data as Float32Array };
  } finally {
    await session.release();
  }
}

async function assertTrainsAsWritten(bytes: Uint8Array) {
  const [train, evaluation] = [await forward(bytes, 'train'), await forward(bytes, 'eval')];
  const worst = train.y.reduce((m, v, i) => Math.max(m, Math.abs(v - evaluation.y[i])), 0);
  assert.ok(worst < 1e-5, `the training forward differs from the graph as written by ${worst}`);
  assertChecksOut(await checkCompatibility(readOnnxModel(bytes)), ['wq', 'wk', 'head']);
  return train.nodes;
}

const perms = (nodes: { opType: string; attrs: Record<string, unknown> }[]) =>
  nodes.filter((n) => n.opType === 'Transpose').map((n) => (n.attrs.perm as number[]).join(''));

describe('products of imported models reading a transposed operand', () => {
  it('q·kᵀ·scale: one FusedMatMul reading k transposed with the scale as alpha, no [0, 2, 3, 1] copy; same forward, gradients equal finite differences', async () => {
    const nodes = await assertTrainsAsWritten(model());
    const fused = nodes.filter((n) => n.opType === 'FusedMatMul');
    assert.equal(fused.length, 1);
    assert.equal(fused[0].attrs.transB, 1);
    assert.ok(Math.abs(((fused[0].attrs.alpha as FloatAttr).value as number) - 0.7) < 1e-6);
    assert.ok(!nodes.some((n) => n.opType === 'Mul'), 'the scale is in the alpha');
    assert.deepEqual(perms(nodes).sort(), ['0213', '0213', '0213']);
  });

  it('a Div by the scale, and a transpose of only the last two axes: no Transpose of k left', async () => {
    const nodes = await assertTrainsAsWritten(model({ scale: 'Div' }));
    assert.ok(!nodes.some((n) => n.opType === 'Div'));
    assert.ok(
      Math.abs(
        ((nodes.find((n) => n.opType === 'FusedMatMul')!.attrs.alpha as FloatAttr).value as number) - 1 / 1.4,
      ) < 1e-6,
    );
    const swapOnly = await assertTrainsAsWritten(model({ swapOnly: true }));
    assert.deepEqual(perms(swapOnly), ['0213', '0213', '0213']);
  });

  it('eval graphs keep the standard MatMul and Transpose', async () => {
    const { nodes } = await forward(model(), 'eval');
    assert.ok(!nodes.some((n) => n.opType === 'FusedMatMul'));
    assert.ok(perms(nodes).includes('0231'));
  });

  it('a transposed k that something else reads too stays a Transpose, and still trains as written', async () => {
    const nodes = await assertTrainsAsWritten(model({ kAlsoRead: true }));
    assert.ok(perms(nodes).includes('0231'));
    assert.ok(!nodes.some((n) => n.opType === 'FusedMatMul'));
  });
});
