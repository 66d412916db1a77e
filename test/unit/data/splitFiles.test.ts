/**
 * Split files: "source": { "train", "validation", "test" } names one source per split, all CSV
 * tables, all .txt texts or all folders of images by class. Each table's rows, each text's
 * windows, each folder's images are that split (tables in file order); tables must share their
 * columns, folders the training folder's classes; the experiment's checks put a missing source,
 * or one of another kind, on its own field, before anything loads.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
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

test('split sources are all of one kind, each a .csv, .txt or folder; their fields are checked by the schema', async () => {
  const dir = scratchFolder({ 'train.csv': table(0, 4), 'notes.txt': 'text', 'notes.md': '# notes' });
  let text = experimentText({ train: 'train.csv', test: 'notes.txt' });
  let problems = await problemsOf(text, dir);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(
    problems[0].message,
    /the split sources are all CSV tables, all text files or all image folders: "notes.txt" is not of the kind of "train.csv"/,
  );
  assert.equal(problems[0].range.start.line, lineOf(text, '"test": "notes.txt"'));

  text = experimentText({ train: 'train.csv', test: 'notes.md' });
  problems = await problemsOf(text, dir);
  assert.match(
    problems[0].message,
    /a split source is a .csv or .tsv table, a .txt text or a folder of images by class: "notes.md" is none of them/,
  );
  assert.equal(problems[0].range.start.line, lineOf(text, '"test": "notes.md"'));

  // Split files (an object) without "train": the object's own problem, not the field's description.
  text = experimentText({ validation: 'train.csv' });
  problems = await problemsOf(text, dir);
  assert.ok(
    problems.some((p) => p.severity === 'error' && p.message === 'data.source is missing "train"'),
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

test('text split files: each text is its split, windows of contextLength, one vocabulary over all', async () => {
  const dir = scratchFolder({ 'train.txt': 'abcabcabcabcabc', 'val.txt': 'cabcab', 'test.txt': 'bcaxbca' });
  const experiment = experimentWith(
    {
      source: { train: 'train.txt', validation: 'val.txt', test: 'test.txt' },
      splits: undefined,
      contextLength: 2,
    },
    { task: 'language-model', model: { input: { shape: [2] }, layers: [] } },
  );
  const dataset = await loadDataset(experiment, dir);
  // (characters − 1) / contextLength windows: 15 → 7, 6 → 2, 7 → 3.
  assert.deepEqual(dataset.sizes, { train: 7, validation: 2, test: 3 });
  // "x" appears only in the test text, and still has its id.
  assert.deepEqual(dataset.vocab?.tokens, ['a', 'b', 'c', 'x']);
  const [test] = [...dataset.batches('test', 8, createRng(1))];
  assert.equal(dataset.vocab?.decode(test.x as BigInt64Array), 'bcaxbc');
  assert.equal(dataset.vocab?.decode(test.y as BigInt64Array), 'caxbca');

  const short = scratchFolder({ 'train.txt': 'abcabcabc', 'val.txt': 'ab' });
  const error = await dataError(
    loadDataset(
      { ...experiment, data: { ...experiment.data, source: { train: 'train.txt', validation: 'val.txt' } } },
      short,
    ),
  );
  assert.equal(error.file, join(short, 'val.txt'));
  assert.match(error.message, /the validation text has 2 characters, fewer than contextLength \+ 1 = 3/);
});

/** `folder/<class>/<i>.png`: `count` 4×4 grey images of each class, class k at grey level 40·(k + 1). */
function imageFolder(root: string, folder: string, classes: Record<string, number>): void {
  for (const [name, count] of Object.entries(classes)) {
    mkdirSync(join(root, folder, name), { recursive: true });
    const level = 40 * (Object.keys(classes).indexOf(name) + 1);
    for (let i = 0; i < count; i++) {
      const image = new PNG({ width: 4, height: 4 });
      for (let p = 0; p < 16; p++) image.data.set([level + i, level + i, level + i, 255], p * 4);
      writeFileSync(join(root, folder, name, `${i}.png`), PNG.sync.write(image));
    }
  }
}

test("image folder split files: each folder's images are its split, labelled by the training folder's classes", async () => {
  const dir = scratchFolder();
  imageFolder(dir, 'train', { cat: 3, dog: 2 });
  imageFolder(dir, 'val', { cat: 1, dog: 1 });
  imageFolder(dir, 'test', { cat: 2, dog: 2 });
  const experiment = experimentWith(
    { source: { train: 'train', validation: 'val', test: 'test' }, splits: undefined },
    { model: { input: { shape: [1, 4, 4] }, layers: [] } },
  );
  const dataset = await loadDataset(experiment, dir);
  assert.deepEqual(dataset.sizes, { train: 5, validation: 2, test: 4 });
  assert.deepEqual(dataset.classes, ['cat', 'dog']);
  const [test] = [...dataset.batches('test', 8, createRng(1), { shuffle: false })];
  assert.deepEqual(Array.from(test.y as BigInt64Array, Number), [0, 0, 1, 1]);
  // The first pixel of each test image: cat 0 and 1 at 40, 41; dog 0 and 1 at 80, 81 (of 255).
  const firstPixels = Array.from({ length: 4 }, (_, i) => Math.round((test.x as Float32Array)[i * 16] * 255));
  assert.deepEqual(firstPixels, [40, 41, 80, 81]);

  // A class the training folder does not have cannot be labelled: refused, naming its folder.
  imageFolder(dir, 'other', { cat: 1, bird: 1 });
  const error = await dataError(
    loadDataset(
      { ...experiment, data: { ...experiment.data, source: { train: 'train', test: 'other' } } },
      dir,
    ),
  );
  assert.equal(error.file, join(dir, 'other', 'bird'));
  assert.match(
    error.message,
    /the class folder "bird" is not one of the training folder's classes \(cat, dog\)/,
  );
});
