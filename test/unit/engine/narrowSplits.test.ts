/**
 * Narrow Splits for WebGPU (graph/narrowSplits.ts, runtime/providerGraph.ts): a wide Split becomes
 * a tree of Splits of at most seven outputs with the same values, and the Transformer template's
 * WebGPU training graph, whose optimizer split 18 parameters at once and failed on an NVIDIA GPU
 * ("Too many storage buffers in shader"), has none wider, fused-steps Loop included.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Experiment, LayersModelSection } from '../../../src/contract/experiment';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { narrowSplits, WEBGPU_SPLIT_OUTPUTS } from '../../../src/engine/graph/narrowSplits';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { buildFusedTrainGraph, planModel } from '../../../src/engine/model/graphs';
import { ParamStore } from '../../../src/engine/model/params';
import { forProvider } from '../../../src/engine/runtime/providerGraph';
import { openSession, tensor } from '../../../src/engine/runtime/session';

/** x [40, 6] split along `axis` into `sizes`, every part an output. */
function splitGraph(axis: number, sizes: number[], narrow: boolean) {
  const b = new GraphBuilder('split');
  const shape = axis === 0 ? [sizes.reduce((a, c) => a + c, 0), 6] : [6, sizes.reduce((a, c) => a + c, 0)];
  const x = b.input('x', 'float32', shape);
  const parts = b.op('Split', [x, b.ints(sizes)], { axis: axis === 0 ? 0 : -1 }, { outputs: sizes.length });
  parts.forEach((p, i) => b.output(p, `part${i}`));
  const rewritten = narrow ? narrowSplits(b) : 0;
  return { model: serializeModel(b), shape, rewritten, b };
}

/** The most outputs of any Split in `g` or its subgraphs. */
function widestSplit(g: GraphBuilder): number {
  let widest = 0;
  for (const node of g.nodes) {
    if (node.opType === 'Split') widest = Math.max(widest, node.outputs.length);
    for (const attr of Object.values(node.attrs))
      if (attr instanceof GraphBuilder) widest = Math.max(widest, widestSplit(attr));
  }
  return widest;
}

async function run(model: Uint8Array, shape: number[]) {
  const size = shape[0] * shape[1];
  const x = Float32Array.from({ length: size }, (_, i) => i + 0.5);
  const session = await openSession(model, ['cpu'], { threads: 1 });
  try {
    const out = await session.run({ x: tensor('float32', x, shape) });
    return Object.fromEntries(
      Object.entries(out).map(([k, t]) => [k, { dims: t.dims, data: [...(t.data as Float32Array)] }]),
    );
  } finally {
    await session.release();
  }
}

describe('narrow Splits for WebGPU', () => {
  for (const [axis, sizes] of [
    [0, [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2]],
    [1, Array.from({ length: 60 }, (_, i) => 1 + (i % 3))],
    [0, [5, 5, 5, 5, 5, 5, 5, 5]],
  ] as [number, number[]][]) {
    it(`keeps every part of a Split into ${sizes.length} along axis ${axis}`, async () => {
      const plain = splitGraph(axis, sizes, false);
      const narrow = splitGraph(axis, sizes, true);
      assert.equal(narrow.rewritten, 1);
      assert.ok(
        widestSplit(narrow.b) <= WEBGPU_SPLIT_OUTPUTS,
        `a Split of ${widestSplit(narrow.b)} outputs is left`,
      );
      const [want, got] = await Promise.all([run(plain.model, plain.shape), run(narrow.model, narrow.shape)]);
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
      assert.deepEqual(got, want);
    });
  }

  it('leaves a Split of seven outputs as it is', () => {
    const narrow = splitGraph(0, [1, 1, 1, 1, 1, 1, 1], true);
    assert.equal(narrow.rewritten, 0);
    assert.equal(narrow.b.nodes.filter((n) => n.opType === 'Split').length, 1);
  });

  it("narrows the Transformer template's WebGPU training graph, fused steps included, and only for WebGPU", () => {
    const file = resolve(
      __dirname,
      '../../../templates/transformer-shakespeare/shakespeare-transformer.experiment.json',
    );
    const e = JSON.parse(readFileSync(file, 'utf8')) as Experiment & { model: LayersModelSection };
    const options = {
      model: { inputShape: e.model.input.shape, inputKind: 'tokens' as const, layers: e.model.layers },
      loss: e.training.loss,
      optimizer: e.training.optimizer,
      clipNorm: e.training.clipNorm,
      batchSize: 4,
      seed: 1,
      device: 'webgpu' as const,
    };
    const graph = () => buildFusedTrainGraph(planModel(options, new ParamStore(1)), 3, { webgpu: true });
    const built = graph();
    assert.ok(widestSplit(built) > WEBGPU_SPLIT_OUTPUTS, 'the optimizer splits every parameter at once');
    assert.ok(widestSplit(forProvider(built, 'webgpu', 16)) <= WEBGPU_SPLIT_OUTPUTS);
    assert.ok(
      widestSplit(forProvider(graph(), 'cpu', 16)) > WEBGPU_SPLIT_OUTPUTS,
      'the CPU graph keeps its Split',
    );
  });
});
