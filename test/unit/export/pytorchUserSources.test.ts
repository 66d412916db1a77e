/**
 * An exported project reads a user's .txt or .csv source itself (not a copy in data/), and builds
 * from it what Model Lab's loader builds. Text: the same characters in the same vocabulary order,
 * the same ids, train / validation / test stretches and seeded batches. CSV: the same numbers,
 * the same seeded split of the rows, the same feature scaling, classes and targets.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import { createRng } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { requireTorch, runPython, trainExported } from '../../fixtures/pytorch';

const root = mkdtempSync(join(tmpdir(), 'modellab-user-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));

// A byte-order mark, Windows line ends, accents, CJK, and an emoji beyond U+FFFF next to a
// full-width '！' (U+FF01): Model Lab sorts its vocabulary by UTF-16 code units, which puts the
// emoji (D83D DE00) before '！', where sorting by code point would put it after.
const TEXT = '\uFEFF' + 'Café — naïve 東京\r\n😀 wow！ the quick brown fox.\n'.repeat(40);
const CONTEXT = 8;
const BATCH = 4;
const SEED = 7;

const TEXT_EXPERIMENT = {
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
      {
        type: 'embedding',
        vocabSize: new Set(Array.from(TEXT.slice(1))).size,
        dim: 8,
        positional: 'learned',
      },
      { type: 'dense', units: new Set(Array.from(TEXT.slice(1))).size },
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

/** A workspace with the source file and its experiment, exported to project/ inside it. */
async function exportedWorkspace(
  source: { name: string; text: string },
  experiment: object,
): Promise<{ dir: string; experimentFile: string; project: string }> {
  const dir = mkdtempSync(join(root, 'workspace-'));
  writeFileSync(join(dir, source.name), source.text);
  const experimentFile = join(dir, 'user-source.experiment.json');
  writeFileSync(experimentFile, JSON.stringify(experiment, null, 2));
  const project = join(dir, 'project');
  await exportPytorchProject({ experimentFile, outDir: project });
  const meta = JSON.parse(readFileSync(join(project, 'data', 'meta.json'), 'utf8')) as {
    read: { file: string };
    arrays: object;
  };
  assert.equal(meta.read.file, join('..', '..', source.name), 'the source is named');
  assert.deepEqual(meta.arrays, {}, 'and not copied');
  return { dir, experimentFile, project };
}

/** What data.py builds in the project from `script`'s expression (`d` is the dataset), as JSON. */
function dump(project: string, expression: string): Record<string, unknown> {
  const script = `import json\nfrom data import Dataset, Rng\nd = Dataset("data", "cross-entropy")\nprint(json.dumps(${expression}))`;
  const dumped = runPython(project, ['-c', script]);
  assert.equal(dumped.status, 0, dumped.stderr);
  return JSON.parse(dumped.stdout) as Record<string, unknown>;
}

const TEXT_DUMP = `{
    "vocab": d.vocab,
    "ids": d.ids.tolist(),
    "stretches": d.stretches,
    "sizes": d.sizes,
    "train": [[x.tolist(), y.tolist()] for x, y in d.batches("train", ${BATCH}, Rng(${SEED}), max_batches=3)],
    "validation": [[x.tolist(), y.tolist()] for x, y in d.batches("validation", ${BATCH})],
    "test": [[x.tolist(), y.tolist()] for x, y in d.batches("test", ${BATCH})],
}`;

/** A batch's flat ids as rows of the context length, as data.py returns them. */
function rows(ids: BigInt64Array): number[][] {
  const all = Array.from(ids, Number);
  return Array.from({ length: all.length / CONTEXT }, (_, i) => all.slice(i * CONTEXT, (i + 1) * CONTEXT));
}

test('data.py reads a .txt source itself into the vocabulary, ids, stretches and batches of Model Lab’s loader', async (t) => {
  if (!requireTorch(t)) return;
  const { dir, project } = await exportedWorkspace({ name: 'corpus.txt', text: TEXT }, TEXT_EXPERIMENT);
  const python = dump(project, TEXT_DUMP);
  const dataset = await loadDataset(TEXT_EXPERIMENT as Experiment, dir);
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
  const { dir, project } = await exportedWorkspace({ name: 'corpus.txt', text: TEXT }, TEXT_EXPERIMENT);
  appendFileSync(join(dir, 'corpus.txt'), 'Zebra@');
  const run = trainExported(project, { maxSteps: 1, runsDir: join(dir, 'runs') });
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr,
    /\/corpus\.txt: the text's characters \(\d+ distinct\) are not the \d+ the model was exported for; export the project from Model Lab again after changing the text\./,
  );
});

/**
 * A table with what Model Lab's CSV reader takes: a byte-order mark, CRLF rows then LF rows, a
 * blank line, quoted and padded cells, signed, exponent and hex numbers, and numeric class
 * labels that sort as numbers (2 before 10). Row r is deterministic.
 */
function table(header: boolean): string {
  const rows = Array.from({ length: 60 }, (_, r) => {
    const alpha = (((r * 37) % 23) / 7 - 1.5).toFixed(3);
    const label = ['2', '10', '1'][(r * 7) % 3];
    const beta = r % 5 === 0 ? '0x1F' : `${(r * 53) % 19}e-3`;
    const gamma = r % 4 === 0 ? `"${r * 0.5}"` : ` ${r * 0.25} `;
    return [alpha, label, beta, gamma].join(',');
  });
  const head = header ? 'alpha,"label",beta,gamma\r\n' : '';
  return `\uFEFF${head}${rows.slice(0, 30).join('\r\n')}\r\n\n${rows.slice(30).join('\n')}\n`;
}

/**
 * A table with gaps: empty and "NaN" numbers, empty codes in a categorical column, and one row
 * without a label; "NA" is a code (a category), not a gap, in the categorical column.
 */
function gappyTable(): string {
  const rows = Array.from({ length: 60 }, (_, r) => {
    const alpha = r % 7 === 3 ? 'NaN' : (((r * 37) % 23) / 7 - 1.5).toFixed(3);
    const label = r === 13 ? '' : ['2', '10', '1'][(r * 7) % 3];
    const code = r % 8 === 2 ? '' : ['x', 'NA', 'z', 'x'][r % 4];
    const gamma = r % 6 === 1 ? ' ' : String(r * 0.25);
    return [alpha, label, code, gamma].join(',');
  });
  return `alpha,label,code,gamma\n${rows.join('\n')}\n`;
}

const csvExperiment = (
  task: 'classification' | 'regression',
  data: object,
  units: number,
  source = 'table.csv',
) => ({
  name: `csv-${task}`,
  task,
  data: { source, splits: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 5, ...data },
  model: { input: { shape: [3] }, layers: [{ type: 'dense', units }] },
  training: {
    epochs: 1,
    batchSize: BATCH,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: task === 'regression' ? 'mse' : 'cross-entropy',
    seed: 1,
  },
});

const CSV_CASES: Record<string, { text: string; experiment: object; file?: string }> = {
  'classification, header row, target by name, standard scaling': {
    text: table(true),
    experiment: csvExperiment('classification', { target: 'label' }, 3),
  },
  'regression, no header row, target by index, min-max scaling': {
    text: table(false),
    experiment: csvExperiment('regression', { header: false, target: 0, normalize: 'minmax' }, 1),
  },
  'a semicolon-separated table (a spreadsheet in many locales)': {
    text: table(true).replaceAll(',', ';'),
    experiment: csvExperiment('classification', { target: 'label' }, 3),
  },
  'a .tsv table whose column names hold commas': {
    text: table(true).replaceAll(',', '\t').replace('alpha', 'alpha, in degrees'),
    experiment: csvExperiment('regression', { target: 'alpha, in degrees' }, 1, 'table.tsv'),
    file: 'table.tsv',
  },
  'data.columns leaves a column out and reorders the others': {
    text: table(true),
    experiment: {
      ...csvExperiment('classification', { target: 'label', columns: ['gamma', 0] }, 3),
      model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 3 }] },
    },
  },
  'data.categorical one-hot encodes a column; a value no training row has is all zeros': {
    // beta as text: "0x1F" on every fifth row, else one of 19 codes, some only in later rows.
    text: table(true),
    experiment: {
      ...csvExperiment('classification', { target: 'label', categorical: ['beta'] }, 3),
      model: { input: { shape: [21] }, layers: [{ type: 'dense', units: 3 }] },
    },
  },
  'data.missing "fill": training means and most frequent codes fill the gaps; a row without a label is left out':
    {
      text: gappyTable(),
      experiment: {
        ...csvExperiment('classification', { target: 'label', categorical: ['code'], missing: 'fill' }, 3),
        model: { input: { shape: [5] }, layers: [{ type: 'dense', units: 3 }] },
      },
    },
  'data.missing "drop" leaves out every row with a gap': {
    text: gappyTable(),
    experiment: {
      ...csvExperiment('classification', { target: 'label', categorical: ['code'], missing: 'drop' }, 3),
      model: { input: { shape: [5] }, layers: [{ type: 'dense', units: 3 }] },
    },
  },
};

for (const [name, { text, experiment, file = 'table.csv' }] of Object.entries(CSV_CASES)) {
  test(`data.py reads a .csv source itself into Model Lab's rows, split, scaling and classes: ${name}`, async (t) => {
    if (!requireTorch(t)) return;
    const { dir, project } = await exportedWorkspace({ name: file, text }, experiment);
    const python = dump(
      project,
      `{"x": d.x.tolist(), "labels": None if d.labels is None else d.labels.tolist(), "targets": None if d.targets is None else d.targets.reshape(-1).tolist(), "classes": d.classes, "splits": {s: r.tolist() for s, r in d.splits.items()}}`,
    );
    const dataset = await loadDataset(experiment as unknown as Experiment, dir);
    const loaded = dataset.arrays();
    assert.equal(loaded.kind, 'rows');
    if (loaded.kind !== 'rows') return;
    const list = (array: ArrayLike<number> | undefined) => (array ? Array.from(array) : null);
    assert.deepEqual(python.splits, {
      train: list(loaded.splits.train),
      validation: list(loaded.splits.validation),
      test: list(loaded.splits.test),
    });
    assert.deepEqual((python.x as number[][]).flat(), list(loaded.x as Float32Array));
    assert.deepEqual(python.labels, list(loaded.labels));
    assert.deepEqual(python.targets, list(loaded.targets));
    assert.deepEqual(python.classes, dataset.classes ?? null);
    if (dataset.classes) assert.deepEqual(dataset.classes, ['1', '2', '10']);
    const gaps = (experiment as { data: { missing?: string } }).data.missing;
    if (gaps)
      assert.equal(list(loaded.labels)!.length, gaps === 'fill' ? 59 : 35, 'the rows Model Lab keeps');
    if (dataset.inputEncoding && !gaps) {
      const oneHot = (python.x as number[][]).map((row) => row.slice(dataset.inputEncoding!.numeric.length));
      assert.ok(
        oneHot.some((codes) => codes.every((v) => v === 0)),
        'a row whose category no training row has',
      );
    }
  });
}

test('a .csv source that gained a class since the export stops train.py with what to do', async (t) => {
  if (!requireTorch(t)) return;
  const { text, experiment } = CSV_CASES['classification, header row, target by name, standard scaling'];
  const { dir, project } = await exportedWorkspace({ name: 'table.csv', text }, experiment);
  appendFileSync(join(dir, 'table.csv'), '0.5,7,0.1,0.2\n');
  const run = trainExported(project, { maxSteps: 1, runsDir: join(dir, 'runs') });
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr,
    /\/table\.csv: the table's feature columns or classes are not those the model was exported for; export the project from Model Lab again after changing the table\./,
  );
});
