import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRng } from '../../../src/data/api';
import { TrainingProcessProber } from '../../../src/extension/runs/attentionProber';
import type { Experiment } from '../../../src/contract/experiment';
import type { TrainerEvent, TrainingAttention } from '../../../src/protocol/training';
import { readAttentionIndex } from '../../../src/runs/runReader';
import type { AttentionSnapshot } from '../../../src/contract/attentionSnapshot';
import { probeAttention } from '../../../src/trainer/attentionProbe';
import { PlaygroundSession } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { trainRun } from '../../fixtures/trainedRun';

const root = mkdtempSync(join(tmpdir(), 'modellab-lm-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A tiny causal Transformer on a four-character text: trains in a few steps with the real engine. */
const experiment: Experiment = {
  name: 'tiny-lm',
  task: 'language-model',
  data: { source: 'text.txt', contextLength: 8, splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
  model: {
    input: { shape: [8] },
    layers: [
      { type: 'embedding', vocabSize: 4, dim: 8, positional: 'learned' },
      { type: 'transformer', heads: 2, ffDim: 16, causal: true },
      { type: 'dense', units: 4 },
    ],
  },
  training: {
    epochs: 1,
    stepsPerEpoch: 4,
    batchSize: 4,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross-entropy',
    seed: 1,
  },
  metrics: ['perplexity'],
  probe: { text: 'abc ab', everySteps: 2 },
};

let runDir: string;
const events: TrainerEvent[] = [];

before(async () => {
  const rng = createRng(3);
  writeFileSync(join(root, 'text.txt'), Array.from({ length: 3000 }, () => 'abc '[rng.int(4)]).join(''));
  runDir = await trainRun(root, experiment, (event) => events.push(event));
});

function checkMaps(snapshot: AttentionSnapshot, tokens: string[]): void {
  assert.deepEqual(snapshot.tokens, tokens);
  assert.equal(snapshot.layers.length, 1);
  const [{ heads, length, probs }] = snapshot.layers;
  assert.equal(heads, 2);
  assert.equal(length, tokens.length);
  for (let head = 0; head < heads; head++) {
    for (let row = 0; row < length; row++) {
      const cells = probs.slice((head * length + row) * length, (head * length + row + 1) * length);
      assert.ok(
        Math.abs(cells.reduce((a, b) => a + b, 0) - 1) < 1e-3,
        `row ${row} of head ${head} sums to 1`,
      );
      assert.ok(
        cells.slice(row + 1).every((p) => p === 0),
        'causal: no attention to later tokens',
      );
    }
  }
}

test('a language model run records attention snapshots of its probe every N steps, perplexity and a text sample', () => {
  const outcome = events.at(-1);
  assert.equal(outcome?.type, 'finished', JSON.stringify(outcome));
  const snapshots = events
    .filter((e): e is TrainingAttention => e.type === 'attention')
    .map((e) => e.snapshot);
  assert.deepEqual(
    snapshots.map((s) => s.step),
    [2, 4],
  );
  assert.deepEqual(readAttentionIndex(runDir), { steps: [2, 4] });
  checkMaps(snapshots[1], ['a', 'b', 'c', ' ', 'a', 'b']);
  const report = events.find((e) => e.type === 'eval');
  assert.ok(report?.type === 'eval');
  assert.ok(Math.abs((report.report.perplexity ?? 0) - Math.exp(report.report.loss)) < 1e-9);
  assert.equal(report.report.sample?.length, 300);
  assert.match(report.report.sample ?? '', /^[abc ]+$/);
});

test('a finished run answers a custom probe text from its checkpoint, and names a character outside its vocabulary', async () => {
  const probed = await probeAttention(runDir, 'cab', createTrainerDeps());
  checkMaps(probed.snapshot, ['c', 'a', 'b']);
  // The run validated, so it has a best checkpoint, and the panel is told the maps come from it.
  assert.equal(probed.checkpoint, 'best');
  await assert.rejects(probeAttention(runDir, 'cxb', createTrainerDeps()), /x/);
});

test('the attention panel prober runs the probe in a training process', async () => {
  const prober = new TrainingProcessProber(() =>
    fork(join(__dirname, '../../../src/trainer/trainingProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  assert.equal(await prober.unavailable(runDir), undefined);
  const probed = await prober.probe(runDir, 'ba');
  checkMaps(probed.snapshot, ['b', 'a']);
  assert.equal(probed.checkpoint, 'best');
  assert.equal(await prober.unavailable(join(root, 'nowhere')), 'This run has no readable run.json.');
});

test("the playground's attention of generated text covers its last context-length characters, as the probe computes them", async () => {
  const session = await PlaygroundSession.open(runDir, createTrainerDeps());
  try {
    // 'x' and '!' are not in the vocabulary: dropped, as generation drops them from a prompt.
    const text = 'ab x!ca bca abc';
    const kept = 'ab ca bca abc'.slice(-8);
    const snapshot = await session.textAttention(text);
    checkMaps(snapshot, [...kept]);
    const probed = await probeAttention(runDir, kept, createTrainerDeps());
    assert.deepEqual(snapshot, probed.snapshot);
    assert.equal(snapshot.step, session.info.step);
    await assert.rejects(session.textAttention('xyz'), /no character the model knows/);
  } finally {
    await session.dispose();
  }
});
