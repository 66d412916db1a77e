/**
 * An exported project reads a user's .txt source itself (not a copy in data/), and builds from it
 * what Model Lab's loader builds: the same characters in the same vocabulary order, the same ids,
 * the same train / validation / test stretches and the same seeded batches.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRng } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { requireTorch, runPython, trainExported } from '../../fixtures/pytorch';

const root = mkdtempSync(join(tmpdir(), 'modellab-text-source-'));
after(() => rmSync(root, { recursive: true, force: true }));

// A byte-order mark, Windows line ends, accents, CJK, and an emoji beyond U+FFFF next to a
// full-width '！' (U+FF01): Model Lab sorts its vocabulary by UTF-16 code units, which puts the
// emoji (D83D DE00) before '！', where sorting by code point would put it after.
const TEXT = '\uFEFF' + 'Café — naïve 東京\r\n😀 wow！ the quick brown fox.\n'.repeat(40);
const CONTEXT = 8;
const BATCH = 4;
const SEED = 7;

function writeExperiment(dir: string): string {
  const vocabSize = new Set(Array.from(TEXT.slice(1))).size;
  const experiment = {
    name: 'text-source',
    task: 'language-model',
    data: {
      source: 'corpus.txt',
      contextLength: CONTEXT,
      splits: { train: 0.8, validation: 0.1, test: 0.1 },
      seed: 42,
    },
    model: {
      input: { shape: [CONTEXT] },
      layers: [
        { type: 'embedding', vocabSize, dim: 8, positional: 'learned' },
        { type: 'dense', units: vocabSize },
      ],
    },
    training: {
      epochs: 1,
      batchSize: BATCH,
      optimizer: { type: 'adam', learningRate: 0.01 },
      loss: 'cross-entropy',
      seed: 1,
    },
  };
  writeFileSync(join(dir, 'corpus.txt'), TEXT);
  const file = join(dir, 'text-source.experiment.json');
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}

/** A workspace with corpus.txt and its experiment, exported to project/ inside it. */
async function exportedWorkspace(): Promise<{ dir: string; experimentFile: string; project: string }> {
  const dir = mkdtempSync(join(root, 'workspace-'));
  const experimentFile = writeExperiment(dir);
  const project = join(dir, 'project');
  await exportPytorchProject({ experimentFile, outDir: project });
  return { dir, experimentFile, project };
}

/** What data.py builds in the project, as JSON. */
const DUMP = `
import json
from data import Dataset, Rng
d = Dataset("data", "cross-entropy")
pairs = lambda batches: [[x.tolist(), y.tolist()] for x, y in batches]
print(json.dumps({
    "vocab": d.vocab,
    "ids": d.ids.tolist(),
    "stretches": d.stretches,
    "sizes": d.sizes,
    "train": pairs(d.batches("train", ${BATCH}, Rng(${SEED}), max_batches=3)),
    "validation": pairs(d.batches("validation", ${BATCH})),
    "test": pairs(d.batches("test", ${BATCH})),
}))
`;

/** A batch's flat ids as rows of the context length, as data.py returns them. */
function rows(ids: BigInt64Array): number[][] {
  const all = Array.from(ids, Number);
  return Array.from({ length: all.length / CONTEXT }, (_, i) => all.slice(i * CONTEXT, (i + 1) * CONTEXT));
}

test('data.py reads a .txt source itself into the vocabulary, ids, stretches and batches of Model Lab’s loader', async (t) => {
  if (!requireTorch(t)) return;
  const { dir, experimentFile, project } = await exportedWorkspace();
  assert.ok(!existsSync(join(project, 'data', 'ids.bin')), 'the text is read, not copied');
  const meta = JSON.parse(readFileSync(join(project, 'data', 'meta.json'), 'utf8')) as { textFile: string };
  assert.equal(meta.textFile, join('..', '..', 'corpus.txt'));

  const dumped = runPython(project, ['-c', DUMP]);
  assert.equal(dumped.status, 0, dumped.stderr);
  const python = JSON.parse(dumped.stdout) as Record<string, unknown>;

  const experiment = JSON.parse(readFileSync(experimentFile, 'utf8'));
  const dataset = await loadDataset(experiment, dir);
  const loaded = dataset.arrays();
  assert.equal(loaded.kind, 'text');
  if (loaded.kind !== 'text') return;
  const pairs = (batches: Iterable<{ x: unknown; y: unknown }>) =>
    Array.from(batches, ({ x, y }) => [rows(x as BigInt64Array), rows(y as BigInt64Array)]);
  const tokens = dataset.vocab!.tokens;
  assert.ok(tokens.indexOf('😀') < tokens.indexOf('！'), 'the vocabulary in UTF-16 order');
  assert.deepEqual(python.vocab, tokens);
  assert.deepEqual(python.ids, Array.from(loaded.ids));
  assert.deepEqual(python.stretches, loaded.stretches);
  assert.deepEqual(python.sizes, dataset.sizes);
  assert.deepEqual(python.train, pairs(dataset.batches('train', BATCH, createRng(SEED), { maxBatches: 3 })));
  assert.deepEqual(python.validation, pairs(dataset.batches('validation', BATCH, createRng(0))));
  assert.deepEqual(python.test, pairs(dataset.batches('test', BATCH, createRng(0))));
});

test('a .txt source that gained characters since the export stops train.py with what to do', async (t) => {
  if (!requireTorch(t)) return;
  const { dir, project } = await exportedWorkspace();
  appendFileSync(join(dir, 'corpus.txt'), 'Zebra@');
  const run = trainExported(project, { maxSteps: 1, runsDir: join(dir, 'runs') });
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr,
    /\/corpus\.txt: the text's characters \(\d+ distinct\) are not the \d+ the model was exported for; export the project from Model Lab again after changing the text\./,
  );
});
