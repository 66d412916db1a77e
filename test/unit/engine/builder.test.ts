import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { OPSET, serializeModel } from '../../../src/engine/graph/serialize';
import { openSession, tensor } from '../../../src/engine/runtime/session';

test('builder infers static shapes, keeps names unique and initializers apart from nodes', async () => {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 3]);
  const w = b.initializer(
    'w',
    'float32',
    [3, 4],
    Float32Array.from({ length: 12 }, (_, i) => i),
  );
  const h = b.relu(b.matmul(x, w));
  const y = b.reduceSum(b.reshape(h, [4, 2]), [1], true);
  assert.deepEqual(h.shape, [2, 4]);
  assert.deepEqual(y.shape, [4, 1]);
  b.output(y, 'y');
  b.output(b.add(y, b.scalar(1)), 'y');
  const names = [
    ...b.nodes.flatMap((n) => n.outputs.map((o) => o!.name)),
    ...b.initializers.map((i) => i.value.name),
  ];
  assert.equal(new Set(names).size, names.length, 'every value has its own name');

  const model = onnx.ModelProto.decode(serializeModel(b));
  assert.equal(Number(model.irVersion), 8);
  assert.equal(Number(model.opsetImport[0].version), OPSET);
  const graph = model.graph as onnx.GraphProto;
  assert.ok(graph.initializer.some((t) => t.name === 'w'));
  assert.ok(!graph.node.some((n) => n.opType === 'Constant'), 'constants are initializers, not nodes');

  const session = await openSession(serializeModel(b));
  const out = await session.run({ x: tensor('float32', Float32Array.from([1, 0, -1, 0, 1, 0]), [2, 3]) });
  // relu(x·w) rows: [0,0,0,0] and [4,5,6,7] → reshape [4,2] → row sums
  assert.deepEqual(Array.from(out.y.data as Float32Array), [0, 0, 9, 13]);
  assert.deepEqual(Array.from(out[b.outputs[1].name].data as Float32Array), [1, 1, 10, 14]);
});

test('serialization writes only the nodes the outputs depend on, those read inside a Loop body included', async () => {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2]);
  b.unary('Exp', b.transpose(b.reshape(x, [2, 1]), [1, 0])); // read by nothing
  const step = b.add(x, b.scalar(1)); // read only inside the body
  const body = b.subgraph('body');
  body.input('iteration', 'int64', []);
  const cond = body.input('cond_in', 'bool', []);
  const v = body.input('v_in', 'float32', [2]);
  body.unary('Neg', v); // read by nothing in the body
  body.output(cond, 'cond_out');
  body.output(body.add(v, step));
  const [final] = b.op(
    'Loop',
    [b.scalar(3, 'int64'), b.constant(Uint8Array.from([1]), [], 'bool'), x],
    { body },
    {
      names: ['v'],
      types: [{ dtype: 'float32', shape: [2] }],
    },
  );
  b.output(final);

  const graph = onnx.ModelProto.decode(serializeModel(b)).graph as onnx.GraphProto;
  assert.deepEqual(
    graph.node.map((n) => n.opType),
    ['Add', 'Loop'],
  );
  const bodyGraph = graph.node[1].attribute!.find((a) => a.name === 'body')!.g as onnx.GraphProto;
  assert.deepEqual(
    bodyGraph.node.map((n) => n.opType),
    ['Identity', 'Add'],
  );
  const session = await openSession(serializeModel(b));
  const out = await session.run({ x: tensor('float32', Float32Array.from([1, 2]), [2]) });
  // v = x + 3·(x + 1)
  assert.deepEqual(Array.from(out.v.data as Float32Array), [7, 11]);
});

test('a shape mismatch names the op, the scope and the shapes', () => {
  const b = new GraphBuilder();
  b.scope = 'layer2/dense/';
  const x = b.input('x', 'float32', [2, 3]);
  const w = b.input('w', 'float32', [4, 5]);
  assert.throws(
    () => b.matmul(x, w),
    /layer2\/dense\/MatMul: inner dimensions 3 and 4 differ \(input shapes \[2, 3\], \[4, 5\]\)/,
  );
  assert.throws(() => b.op('Frobnicate', [x]), /Frobnicate: the engine has no shape rule/);
});

test('oneHot puts `on` at each id (negative ids from the end, as ONNX OneHot) and `off` elsewhere; ids outside the range give a row of `off`', async () => {
  const b = new GraphBuilder();
  const ids = b.input('ids', 'int64', [2, 3]);
  b.output(b.oneHot(ids, 4, 0, 1), 'plain');
  b.output(b.oneHot(ids, 4, 0.025, 0.925), 'smoothed');
  const session = await openSession(serializeModel(b));
  const out = await session.run({
    ids: tensor('int64', BigInt64Array.from([0n, 3n, 1n, 4n, -1n, -5n]), [2, 3]),
  });
  const rows = (data: Float32Array) =>
    Array.from({ length: 6 }, (_, r) => Array.from(data.slice(r * 4, r * 4 + 4)));
  assert.deepEqual(out.plain.dims, [2, 3, 4]);
  assert.deepEqual(rows(out.plain.data as Float32Array), [
    [1, 0, 0, 0],
    [0, 0, 0, 1],
    [0, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 1],
    [0, 0, 0, 0],
  ]);
  const [off, on] = [Math.fround(0.025), Math.fround(0.925)];
  assert.deepEqual(rows(out.smoothed.data as Float32Array)[1], [off, off, off, on]);
  assert.deepEqual(rows(out.smoothed.data as Float32Array)[3], [off, off, off, off]);
});
