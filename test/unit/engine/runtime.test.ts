// Runtime behaviour the trainer relies on: fused steps, exact resume, export, devices, attention probe.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { compileModel, type Batch, type CompileOptions } from '../../../src/engine';
import { Rng } from '../../../src/engine/init';
import { openOnDevice } from '../../../src/engine/runtime/devices';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { options } from './fixtures';

const T = 6;
const V = 5;
/** A tiny causal transformer LM with dropout, so masks matter for exactness. */
const lm = (overrides: Partial<CompileOptions> = {}) =>
  options(
    {
      inputShape: [T],
      inputKind: 'tokens',
      layers: [
        { type: 'embedding', vocabSize: V, dim: 8 },
        { type: 'transformer', heads: 2, ffDim: 16, dropout: 0.2, causal: true },
        { type: 'layernorm' },
        { type: 'dense', units: V },
      ],
    },
    { batchSize: 4, optimizer: { type: 'adamw', learningRate: 0.01, weightDecay: 0.01 }, ...overrides },
  );

function tokenBatches(count: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const x = BigInt64Array.from({ length: 4 * T }, () => BigInt(Math.floor(rng.uniform() * V)));
    const y = BigInt64Array.from(x, (v) => (v + 1n) % BigInt(V));
    return { x, y };
  });
}

test('fused steps (ONNX Loop) give the same losses and parameters as single steps', async () => {
  const batches = tokenBatches(7, 1);
  const lrs = batches.map((_, i) => 0.01 / (1 + i));
  const single = await compileModel(lm());
  const fused = await compileModel(lm({ fusedSteps: 3 }));
  const a = await single.train(batches, lrs);
  const b = await fused.train(batches, lrs);
  a.forEach((loss, i) => assert.ok(Math.abs(loss - b[i]) < 1e-5, `step ${i}: ${loss} vs ${b[i]}`));
  const [sa, sb] = [await single.getState(), await fused.getState()];
  assert.equal(sb.step, 7);
  for (const name of Object.keys(sa.tensors)) {
    const [p, q] = [sa.tensors[name].data, sb.tensors[name].data];
    assert.ok(
      p.every((v, i) => Math.abs(v - q[i]) < 1e-5),
      `state ${name} differs`,
    );
  }
  await single.dispose();
  await fused.dispose();
});

test('resuming from getState reproduces the uninterrupted run exactly, dropout included', async () => {
  const batches = tokenBatches(8, 2);
  const lrs = batches.map(() => 0.01);
  const straight = await compileModel(lm());
  await straight.train(batches.slice(0, 4), lrs.slice(0, 4));
  const checkpoint = await straight.getState();
  const expected = await straight.train(batches.slice(4), lrs.slice(4));

  const resumed = await compileModel(lm());
  await resumed.setState(JSON.parse(JSON.stringify(checkpoint), revive));
  const got = await resumed.train(batches.slice(4), lrs.slice(4));
  assert.deepEqual(got, expected);
  assert.ok(new Set(expected).size > 1, 'losses change from step to step');
  await assert.rejects(
    resumed.setState({ step: 1, tensors: {} }),
    /the checkpoint has no tensor layer0\.embedding\.weight/,
  );
  await straight.dispose();
  await resumed.dispose();
});

test('a checkpoint keeps each parameter with its own Adam moments, of its shape (the format older runs saved)', async () => {
  const model = await compileModel(lm());
  await model.train(tokenBatches(2, 3), [0.01, 0.01]);
  const { tensors } = await model.getState();
  const params = Object.keys(tensors).filter((name) => !/\.(m|v)$/.test(name));
  assert.ok(params.includes('layer0.embedding.weight') && params.length > 10, `parameters: ${params}`);
  assert.deepEqual(Object.keys(tensors).sort(), params.flatMap((p) => [p, `${p}.m`, `${p}.v`]).sort());
  for (const p of params) {
    for (const moment of [`${p}.m`, `${p}.v`]) {
      assert.deepEqual(tensors[moment].dims, tensors[p].dims, moment);
      assert.equal(tensors[moment].data.length, tensors[p].data.length, moment);
    }
    // Two steps have moved every parameter's second moment off its zero start.
    assert.ok(
      tensors[`${p}.v`].data.some((v) => v > 0),
      `${p}.v is all zeros`,
    );
  }
  const moved = { ...tensors, 'layer0.embedding.weight.m': { dims: [1], data: new Float32Array(1) } };
  await assert.rejects(
    model.setState({ step: 2, tensors: moved }),
    /checkpoint tensor layer0\.embedding\.weight\.m has shape \[1\]/,
  );
  await model.dispose();
});

/** JSON round trip of a checkpoint, as the trainer stores it. */
function revive(key: string, value: unknown) {
  if (key === 'data' && value && typeof value === 'object')
    return Float32Array.from(Object.values(value) as number[]);
  return value;
}

test('exported model.onnx re-loads in a fresh session, takes any batch and matches predict', async () => {
  const model = await compileModel(lm());
  await model.train(tokenBatches(3, 3), [0.01, 0.01, 0.01]);
  const bytes = await model.exportOnnx();
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual(session.inputNames, ['input']);
  assert.deepEqual(session.outputNames, ['output']);
  const proto = onnx.ModelProto.decode(bytes);
  // Standard ONNX only: contrib ops (FusedMatMul) belong to CPU training graphs.
  assert.deepEqual(
    proto.graph!.node!.filter((n) => n.domain).map((n) => `${n.domain}.${n.opType}`),
    [],
  );
  const doc = proto.docString;
  assert.match(doc, /Input "input": int64 token ids of shape \[batch, 6\]/);
  assert.match(doc, /Output "output": float32 of shape \[batch, 6, 5\]: unnormalised class scores/);
  for (const count of [1, 3]) {
    const examples = tokenBatches(1, 4)[0].x.subarray(0, count * T);
    const input = new ort.Tensor('int64', examples, [count, T]);
    const exported = (await session.run({ input })).output.data as Float32Array;
    const predicted = await model.predict(examples, count);
    assert.equal(exported.length, count * T * V);
    exported.forEach((v, i) =>
      assert.ok(Math.abs(v - predicted[i]) < 1e-5, `output ${i}: ${v} vs ${predicted[i]}`),
    );
  }
  await session.release();
  await model.dispose();
});

test('attention probe: one map per attention layer, rows sum to 1, causal mask respected', async () => {
  const model = await compileModel(lm());
  const maps = await model.attention(BigInt64Array.from([1n, 2n, 3n, 4n]));
  assert.equal(maps.length, 1);
  const [map] = maps;
  assert.deepEqual([map.layer, map.heads, map.length, map.probs.length], [1, 2, 4, 2 * 4 * 4]);
  for (let row = 0; row < 2 * 4; row++) {
    const r = map.probs.subarray(row * 4, row * 4 + 4);
    assert.ok(Math.abs(r.reduce((a, b) => a + b) - 1) < 1e-5, `row ${row} sums to 1`);
    r.forEach((p, j) => j > row % 4 && assert.equal(p, 0, 'no weight on future tokens'));
  }
  // Causal: the short probe's maps are the top-left corner of the full-length probe's.
  const [full] = await model.attention(BigInt64Array.from([1n, 2n, 3n, 4n, 0n, 2n]));
  for (let h = 0; h < 2; h++)
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const [short, long] = [map.probs[(h * 4 + i) * 4 + j], full.probs[(h * 6 + i) * 6 + j]];
        assert.ok(Math.abs(short - long) < 1e-6, `head ${h} (${i}, ${j}): ${short} vs ${long}`);
      }
  await assert.rejects(
    model.attention(new BigInt64Array(T + 1)),
    /the probe has 7 tokens; the model reads 1 to 6/,
  );
  await model.dispose();
});

test('attention probe of a short text on a non-causal model attends over that text only', async () => {
  const layers = lm().model.layers.map((l) => (l.type === 'transformer' ? { ...l, causal: false } : l));
  const model = await compileModel(lm({ model: { ...lm().model, layers } }));
  const [map] = await model.attention(BigInt64Array.from([3n, 1n, 2n]));
  assert.equal(map.length, 3);
  for (let row = 0; row < 2 * 3; row++) {
    const r = map.probs.subarray(row * 3, row * 3 + 3);
    assert.ok(Math.abs(r.reduce((a, b) => a + b) - 1) < 1e-5, `row ${row} sums to 1`);
    assert.ok(
      r.every((p) => p > 0),
      'every position of the text gets weight',
    );
  }
  await model.dispose();
});

test('GPU requests fall back to the CPU with a message naming the failure', async () => {
  for (const device of ['cuda', 'webgpu', 'auto'] as const) {
    const model = await compileModel(lm({ device }));
    assert.equal(model.device.requested, device);
    assert.equal(model.device.chosen, 'cpu');
    assert.match(model.device.message, /unavailable: .+Fell back to the CPU\./);
    await model.dispose();
  }
  const b = new GraphBuilder();
  b.output(b.relu(b.input('x', 'float32', [1])), 'y');
  const opened: string[][] = [];
  const chosen = await openOnDevice(
    serializeModel(b),
    'auto',
    async (_m, providers) => {
      opened.push(providers);
      if (providers[0] === 'cuda') throw new Error('no CUDA driver');
      return { release: async () => undefined } as unknown as ort.InferenceSession;
    },
    () => undefined,
  );
  // WebGPU trained every template slower than the CPU (bench/gpu-vs-cpu.ts): auto never picks it.
  assert.deepEqual(opened, [['cuda', 'cpu'], ['cpu']]);
  assert.equal(chosen.report.chosen, 'cpu');
  assert.match(chosen.report.message, /CUDA unavailable: no CUDA driver\. Fell back to the CPU\./);
});

test('bad input batches are refused with what is wrong', async () => {
  const model = await compileModel(lm());
  const [good] = tokenBatches(1, 5);
  await assert.rejects(
    model.train([{ x: good.x.subarray(0, 5), y: good.y }], [0.1]),
    /batch 0: expected 4 inputs of shape \[6\], got 5 values/,
  );
  const badIds = new BigInt64Array(good.y.length).fill(9n);
  await assert.rejects(
    model.train([{ x: good.x, y: badIds }], [0.1]),
    /batch 0: class id 9 is outside 0\.\.4/,
  );
  await assert.rejects(model.train([{ x: new Float32Array(24), y: good.y }], [0.1]), /int64 token ids/);
  await assert.rejects(model.predict(new Float32Array(6), 1), /predict: inputs must be int64 token ids/);
  await assert.rejects(model.predict(good.x, 3), /expected 3 examples of 6 values, got 24/);
  await model.dispose();
});
