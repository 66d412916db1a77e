/**
 * Split files: "source": { "train", "validation", "test" } names one CSV table per split.
 * Each file's rows are that split, in file order; the files must share their columns; the
 * experiment's checks put a missing or non-CSV file on its own field, before anything loads.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SplitFiles } from '../../../src/contract/experiment';
import { createRng } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { parseExperimentText, validateExperiment, type Problem } from '../../../src/experiment/validate';
import { quickTraining } from '../../fixtures/experimentParts';
import { dataError, experimentWith, scratchFolder } from './fixtures';

const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `${from + i},${-(from + i)},${(from + i) % 2 ? 'odd' : 'even'}`);
const table = (from: number, n: number, header = 'a,b,label') => [header, ...rows(from, n)].join('\n') + '\n';

/** A table experiment over split files, features unscaled so the test can read them back. */
const splitFiles = (source: SplitFiles) =>
  experimentWith(
    { source, splits: undefined, normalize: 'none', shuffle: false, target: 'label' },
    { model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] } },
  );

test('each split file is its split, in file order; training batches read train.csv in order', async () => {
  const dir = scratchFolder({
    'train.csv': table(0, 6),
    'val.csv': table(100, 2),
    'test.csv': table(200, 3),
  });
  const dataset = await loadDataset(
    splitFiles({ train: 'train.csv', validation: 'val.csv', test: 'test.csv' }),
    dir,
  );
  assert.deepEqual(dataset.sizes, { train: 6, validation: 2, test: 3 });
  assert.equal(dataset.source, 'train.csv + val.csv + test.csv');
  const firstFeature = (split: 'train' | 'validation' | 'test', batchSize: number) =>
    [...dataset.batches(split, batchSize, createRng(1), { shuffle: false })].flatMap((batch) =>
      Array.from({ length: batch.count }, (_, i) => (batch.x as Float32Array)[i * 2]),
    );
  assert.deepEqual(firstFeature('train', 3), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(firstFeature('validation', 8), [100, 101]);
  assert.deepEqual(firstFeature('test', 8), [200, 201, 202]);
  assert.deepEqual(dataset.classes, ['even', 'odd']);
});

test('validation and test files are optional: their splits are then empty', async () => {
  const dir = scratchFolder({ 'train.csv': table(0, 4) });
  const dataset = await loadDataset(splitFiles({ train: 'train.csv' }), dir);
  assert.deepEqual(dataset.sizes, { train: 4, validation: 0, test: 0 });
});

test('a split file with other columns, or a bad cell, is named with its line', async () => {
  let dir = scratchFolder({ 'train.csv': table(0, 4), 'val.csv': table(100, 2, 'a,c,label') });
  let error = await dataError(loadDataset(splitFiles({ train: 'train.csv', validation: 'val.csv' }), dir));
  assert.equal(error.file, join(dir, 'val.csv'));
  assert.equal(error.line, 1);
  assert.match(
    error.message,
    /its columns \(a, c, label\) differ from those of .*train\.csv \(a, b, label\)/,
  );

  dir = scratchFolder({ 'train.csv': table(0, 4), 'test.csv': 'a,b,label\n1,2,odd\n3,x,even\n' });
  error = await dataError(loadDataset(splitFiles({ train: 'train.csv', test: 'test.csv' }), dir));
  assert.equal(error.file, join(dir, 'test.csv'));
  assert.equal(error.line, 3);
  assert.match(error.message, /column "b" holds "x", not a number/);
});

/** The experiment file of a table over `source`, as text. */
const experimentText = (source: unknown, splits?: unknown) =>
  JSON.stringify(
    {
      name: 'split-files',
      task: 'classification',
      data: { source, ...(splits ? { splits } : {}), seed: 1, target: 'label' },
      model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] },
      training: quickTraining({ batchSize: 2 }),
    },
    null,
    2,
  );

const problemsOf = async (text: string, dir: string): Promise<Problem[]> =>
  (await validateExperiment(parseExperimentText(text), dir)).problems;

/** 0-based line of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('a missing split file is an error on its own field, naming it', async () => {
  const dir = scratchFolder({ 'train.csv': table(0, 4) });
  const text = experimentText({ train: 'train.csv', validation: 'val.csv' });
  const problems = await problemsOf(text, dir);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].severity, 'error');
  assert.match(
    problems[0].message,
    /the data file "val.csv" does not exist \(paths are relative to this experiment file\)/,
  );
  assert.equal(problems[0].range.start.line, lineOf(text, '"validation": "val.csv"'));
});

test('split files must be .csv tables; their fields are checked by the schema', async () => {
  const dir = scratchFolder({ 'train.csv': table(0, 4), 'notes.txt': 'text' });
  let text = experimentText({ train: 'train.csv', test: 'notes.txt' });
  let problems = await problemsOf(text, dir);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0].message, /split files are CSV tables: "notes.txt" is not a .csv file/);
  assert.equal(problems[0].range.start.line, lineOf(text, '"test": "notes.txt"'));

  text = experimentText({ validation: 'train.csv' });
  problems = await problemsOf(text, dir);
  assert.ok(
    problems.some((p) => p.severity === 'error' && /^data\.source: /.test(p.message)),
    JSON.stringify(problems),
  );
});

test('split files need no splits (given, they are a warning); a single source still needs them', async () => {
  const dir = scratchFolder({ 'train.csv': table(0, 4), 'val.csv': table(100, 2) });
  assert.deepEqual(await problemsOf(experimentText({ train: 'train.csv', validation: 'val.csv' }), dir), []);

  const withSplits = experimentText({ train: 'train.csv' }, { train: 0.8, validation: 0.1, test: 0.1 });
  const [warning] = await problemsOf(withSplits, dir);
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /data.splits is not used: data.source names a file for each split/);

  const single = await problemsOf(experimentText('train.csv'), dir);
  assert.ok(
    single.some((p) => p.severity === 'error' && /data is missing "splits"/.test(p.message)),
    JSON.stringify(single),
  );
});
