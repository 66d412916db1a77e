// CSV time series: windows of consecutive rows predicting the next row, split chronologically.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRng, type Dataset } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import type { Split } from '../../../src/contract/runStatus';
import type { DataSection, Experiment } from '../../../src/contract/experiment';
import { parseExperimentText, validateExperiment } from '../../../src/experiment/validate';
import { quickTraining } from '../../fixtures/experimentParts';
import { dataError, experimentWith, scratchFolder } from './fixtures';

function seriesExperiment(data: Partial<DataSection>, steps: number, features = 1) {
  return experimentWith(
    { format: 'series', ...data },
    {
      task: 'regression',
      model: {
        input: { shape: [steps, features] },
        layers: [
          { type: 'lstm', units: 4 },
          { type: 'dense', units: 1 },
        ],
      },
      training: quickTraining({ loss: 'mse' }),
    },
  );
}

/** Every example of a split, in the order the dataset yields them. */
function examples(dataset: Dataset, split: Split): { x: number[][]; y: number[] } {
  const [steps, features] = dataset.inputShape;
  const x: number[][] = [];
  const y: number[] = [];
  for (const batch of dataset.batches(split, 1, createRng(5))) {
    x.push(Array.from(batch.x as Float32Array));
    y.push((batch.y as Float32Array)[0]);
    assert.equal(batch.x.length, steps * features);
  }
  return { x, y };
}

/** Rows t = 0..9 of columns a = t and b = 10·t. */
const LINEAR = ['a,b', ...Array.from({ length: 10 }, (_, t) => `${t},${10 * t}`)].join('\n') + '\n';

test('series: each window is `steps` consecutive rows of the chosen columns; its target is the next row', async () => {
  const dir = scratchFolder({ 'series.csv': LINEAR });
  const experiment = seriesExperiment(
    {
      source: 'series.csv',
      columns: ['a'],
      target: 'b',
      normalize: 'none',
      splits: { train: 0.6, validation: 0.2, test: 0.2 },
    },
    3,
  );
  const dataset = await loadDataset(experiment, dir);
  assert.deepEqual(dataset.inputShape, [3, 1]);
  assert.deepEqual(dataset.outputShape, [1]);
  // 10 rows give 7 windows: 4 train, 1 validation, 2 test.
  assert.deepEqual(dataset.sizes, { train: 4, validation: 1, test: 2 });
  assert.deepEqual(examples(dataset, 'validation'), { x: [[4, 5, 6]], y: [70] });
  assert.deepEqual(examples(dataset, 'test'), {
    x: [
      [5, 6, 7],
      [6, 7, 8],
    ],
    y: [80, 90],
  });

  const both = await loadDataset(seriesExperiment({ source: 'series.csv', normalize: 'none' }, 2, 2), dir);
  assert.deepEqual(examples(both, 'test').x.at(-1), [7, 70, 8, 80], 'rows are step-major: [steps, features]');
  assert.deepEqual(examples(both, 'test').y.at(-1), 90);
});

test('series: windows are split chronologically; training windows are shuffled only among themselves', async () => {
  const rows = ['v', ...Array.from({ length: 60 }, (_, t) => String(t))].join('\n');
  const dir = scratchFolder({ 'series.csv': rows });
  const dataset = await loadDataset(seriesExperiment({ source: 'series.csv', normalize: 'none' }, 5), dir);
  assert.deepEqual(dataset.sizes, { train: 44, validation: 6, test: 5 });
  const train = examples(dataset, 'train').y;
  const validation = examples(dataset, 'validation').y;
  const test = examples(dataset, 'test').y;
  assert.deepEqual(
    [...train].sort((a, b) => a - b),
    Array.from({ length: 44 }, (_, i) => i + 5),
  );
  assert.notDeepEqual(
    train,
    [...train].sort((a, b) => a - b),
    'training windows are shuffled',
  );
  assert.deepEqual(validation, [49, 50, 51, 52, 53, 54]);
  assert.deepEqual(test, [55, 56, 57, 58, 59]);
  // No validation or test target appears in any training window, as input or target.
  const trainValues = new Set(examples(dataset, 'train').x.flat().concat(train));
  for (const target of [...validation, ...test])
    assert.ok(!trainValues.has(target), `target ${target} leaked`);
});

test('series: scaling is fitted on the rows the training windows cover, target included', async () => {
  const rows = ['v', ...Array.from({ length: 20 }, (_, t) => String(t))].join('\n');
  const dir = scratchFolder({ 'series.csv': rows });
  const splits = { train: 0.5, validation: 0.25, test: 0.25 };
  const dataset = await loadDataset(seriesExperiment({ source: 'series.csv', splits }, 2), dir);
  // 18 windows, 9 train: they cover rows 0..10, mean 5, population std √10.
  const scaled = (v: number): number => (v - 5) / Math.sqrt(10);
  const { x, y } = examples(dataset, 'validation');
  x[0].forEach((value, i) => assert.ok(Math.abs(value - scaled(9 + i)) < 1e-6, `x ${value}`));
  assert.ok(Math.abs(y[0] - scaled(11)) < 1e-6, `y ${y[0]} vs ${scaled(11)}`);
});

test('series: ragged rows, non-numeric cells and too few rows are errors naming the file and row', async () => {
  const dir = scratchFolder({
    'ragged.csv': 'a,b\n1,2\n3\n5,6\n',
    'word.csv': 'a,b\n1,2\n3,4\n5,six\n',
    'short.csv': 'a\n1\n2\n3\n',
  });
  const ragged = await dataError(loadDataset(seriesExperiment({ source: 'ragged.csv' }, 1, 2), dir));
  assert.equal(
    ragged.format(),
    `${join(dir, 'ragged.csv')}:3: row has 1 cells, expected 2 like the first row`,
  );
  const word = await dataError(loadDataset(seriesExperiment({ source: 'word.csv' }, 1, 2), dir));
  assert.equal(word.file, join(dir, 'word.csv'));
  assert.equal(word.line, 4);
  assert.match(word.message, /column "b" holds "six", not a number/);
  const short = await dataError(loadDataset(seriesExperiment({ source: 'short.csv' }, 3), dir));
  assert.equal(short.file, join(dir, 'short.csv'));
  assert.equal(short.line, 4);
  assert.match(short.message, /3 rows, too few for one window of 3 steps .*needs at least 4/);
  const missing = await dataError(
    loadDataset(seriesExperiment({ source: 'short.csv', columns: ['z'] }, 3), dir),
  );
  assert.match(missing.message, /no column named "z"; columns: a/);
});

test('the LSTM template ships a series example that validates cleanly and loads as [24, 1] windows', async () => {
  const folder = join('templates', 'lstm-names');
  const file = join(folder, 'waves-lstm.experiment.json');
  const text = readFileSync(file, 'utf8');
  assert.deepEqual((await validateExperiment(parseExperimentText(text), folder)).problems, []);
  const dataset = await loadDataset(JSON.parse(text) as Experiment, folder);
  assert.deepEqual(dataset.inputShape, [24, 1]);
  assert.equal(dataset.sizes.train + dataset.sizes.validation + dataset.sizes.test, 1000 - 24);
});
