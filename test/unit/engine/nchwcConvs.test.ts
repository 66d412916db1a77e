/**
 * Convolutions in onnxruntime's blocked layout (graph/nchwcConvs.ts, runtime/nchwcBlock.ts): the
 * rewrite keeps every output and gradient of a graph, reaches the convolutions of the backward
 * pass and of a fused-steps Loop, leaves what does not fill a block alone, and never reaches an
 * exported model. The imported 'blockedconv' case (onnxParity.test.ts) trains through it against
 * PyTorch's losses.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GraphBuilder, type Value } from '../../../src/engine/graph/builder';
import { NCHWC_DOMAIN, useNchwcConvs } from '../../../src/engine/graph/nchwcConvs';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { buildFusedTrainGraph, planModel } from '../../../src/engine/model/graphs';
import { ParamStore } from '../../../src/engine/model/params';
import { importedModel, importOnnxFile } from '../../../src/engine/onnx';
import { decodeModel } from '../../../src/engine/onnx/onnxProto';
import { nchwcBlockSize } from '../../../src/engine/runtime/nchwcBlock';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { compileCase, modelPath, readReference } from './onnxFixtures';

const filled = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.37));

interface ConvCase {
  name: string;
  channels: number;
  filters: number;
  kernel: number;
  attrs: Record<string, number[]>;
  bias: boolean;
}

/** Convolutions over x [2, C, 9, 9] summed into one scalar loss, with the gradients of x and every filter. */
function convGraph(cases: ConvCase[], block: number) {
  const b = new GraphBuilder('convs');
  const feeds: Record<string, Float32Array> = {};
  const input = (name: string, shape: number[]) => {
    feeds[name] = filled(
      shape.reduce((p, d) => p * d, 1),
      Object.keys(feeds).length,
    );
    return b.input(name, 'float32', shape);
  };
  const parts: Value[] = [];
  const wrt: Value[] = [];
  for (const c of cases) {
    const x = input(`${c.name}_x`, [2, c.channels, 9, 9]);
    const w = input(`${c.name}_w`, [c.filters, c.channels, c.kernel, c.kernel]);
    const bias = c.bias ? input(`${c.name}_b`, [c.filters]) : undefined;
    const y = b.op('Conv', [x, w, bias], { kernel_shape: [c.kernel, c.kernel], ...c.attrs })[0];
    // Squared, so every gradient depends on the outputs' values.
    parts.push(b.reduceSum(b.mul(y, y), []));
    wrt.push(x, w);
  }
  const loss = parts.reduce((sum, p) => b.add(sum, p));
  b.output(loss, 'loss');
  const grads = gradients(b, loss, wrt);
  for (const v of wrt) b.output(grads.get(v.name)!, `d_${v.name}`);
  const rewritten = useNchwcConvs(b, block);
  return { model: serializeModel(b), feeds, rewritten };
}

async function run(model: Uint8Array, feeds: Record<string, Float32Array>, shapes: Record<string, number[]>) {
  const session = await openSession(model, ['cpu'], { threads: 1 });
  try {
    const out = await session.run(
      Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, tensor('float32', v, shapes[k])])),
    );
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

describe('convolutions in the blocked layout on the CPU', () => {
  it('onnxruntime reports a block size on x64 (8 with AVX2, 16 with AVX-512)', async () => {
    const block = await nchwcBlockSize();
    // Every x64 CPU that runs onnxruntime-node has AVX2 or better; elsewhere 1 turns the rewrite off.
    if (process.arch === 'x64') assert.ok([8, 16].includes(block), `block size ${block}`);
    else assert.ok(block >= 1);
  });

  it('keeps the loss and every gradient of 3×3, strided, 1×1 and dilated convolutions', async () => {
    const block = await nchwcBlockSize();
    assert.ok(block >= 2, 'this machine has no NCHWc kernels to check');
    const cases: ConvCase[] = [
      { name: 'same', channels: block, filters: block, kernel: 3, attrs: { pads: [1, 1, 1, 1] }, bias: true },
      {
        name: 'strided',
        channels: block,
        filters: 2 * block,
        kernel: 3,
        attrs: { strides: [2, 2], pads: [1, 1, 1, 1] },
        bias: false,
      },
      { name: 'pointwise', channels: 2 * block, filters: block, kernel: 1, attrs: {}, bias: true },
      {
        name: 'dilated',
        channels: block,
        filters: block,
        kernel: 3,
        attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] },
        bias: false,
      },
      // Three channels fill no block: it stays a plain Conv.
      { name: 'stem', channels: 3, filters: block, kernel: 3, attrs: { pads: [1, 1, 1, 1] }, bias: true },
    ];
    const plain = convGraph(cases, 1);
    const blocked = convGraph(cases, block);
    assert.equal(plain.rewritten, 0);
    // Four forward convolutions, and the stride-1 input gradients of three (Convs of dY).
    assert.equal(blocked.rewritten, 7);
    const nodes = decodeModel(blocked.model).graph!.node!;
    assert.equal(nodes.filter((n) => n.domain === NCHWC_DOMAIN && n.opType === 'Conv').length, 7);
    assert.equal(
      nodes.filter((n) => !n.domain && n.opType === 'Conv').length,
      6,
      'the stem, its input gradient, and the one-channel patches of four weight gradients (the pointwise one reads x as its patches)',
    );

    const shapes: Record<string, number[]> = {};
    for (const c of cases) {
      shapes[`${c.name}_x`] = [2, c.channels, 9, 9];
      shapes[`${c.name}_w`] = [c.filters, c.channels, c.kernel, c.kernel];
      shapes[`${c.name}_b`] = [c.filters];
    }
    const [expected, actual] = await Promise.all([
      run(plain.model, plain.feeds, shapes),
      run(blocked.model, blocked.feeds, shapes),
    ]);
    for (const [name, want] of Object.entries(expected)) {
      const got = actual[name];
      const scale = Math.max(...want.map(Math.abs));
      const worst = Math.max(...want.map((v, i) => Math.abs(v - got[i])));
      assert.ok(worst <= 1e-5 * scale, `${name}: largest difference ${worst} (values up to ${scale})`);
    }
  });

  it("reaches the fused-steps Loop's body and leaves the exported model.onnx standard", async () => {
    const block = await nchwcBlockSize();
    assert.ok(block >= 2, 'this machine has no NCHWc kernels to check');
    const ref = readReference('blockedconv');
    const plan = importOnnxFile(modelPath('blockedconv'));
    const options = {
      model: importedModel(plan),
      loss: ref.loss,
      optimizer: ref.optimizer,
      batchSize: ref.batchSize,
      seed: 1,
      device: 'cpu' as const,
    };
    const graph = buildFusedTrainGraph(planModel(options, new ParamStore(1)), 4, {});
    // conv, down, point and wide forward; the stride-1 input gradients of conv, point and wide.
    assert.equal(useNchwcConvs(graph, block), 7);
    const opsets = decodeModel(serializeModel(graph)).opsetImport!.map((o) => o.domain);
    assert.ok(opsets.includes(NCHWC_DOMAIN));

    const model = await compileCase(plan, ref);
    const exported = decodeModel(await model.exportOnnx());
    await model.dispose();
    assert.ok(!exported.opsetImport!.some((o) => o.domain === NCHWC_DOMAIN));
    assert.ok(!exported.graph!.node!.some((n) => n.domain === NCHWC_DOMAIN));
  });
});
