/**
 * Tables saved elsewhere: a spreadsheet in a European locale (semicolons), a .tsv, a tab-separated
 * .csv. Each must load into exactly the examples the same table with commas gives.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Dataset } from '../../../src/data/api';
import { tableDelimiter } from '../../../src/data/csv';
import { loadDataset } from '../../../src/data/loadDataset';
import { assignSplits } from '../../../src/data/splits';
import { dataError, experimentWith, scratchFolder } from './fixtures';

/** 30 rows of two numeric features and a label, joined by `separator`; the first header cell is quoted. */
function table(separator: string, firstName = '"mass"'): string {
  const rows = Array.from({ length: 30 }, (_, i) =>
    [(i * 0.37).toFixed(2), String((i * 7) % 11), i % 3 === 0 ? 'red' : 'white'].join(separator),
  );
  return [[firstName, 'acidity', 'colour'].join(separator), ...rows].join('\r\n') + '\r\n';
}

const load = (dir: string, source: string, data: object = {}): Promise<Dataset> =>
  loadDataset(experimentWith({ source, target: 'colour', ...data }), dir);

function examples(dataset: Dataset) {
  const arrays = dataset.arrays();
  assert.equal(arrays.kind, 'rows');
  if (arrays.kind !== 'rows') return undefined;
  return {
    x: Array.from(arrays.x as Float32Array),
    labels: Array.from(arrays.labels!),
    classes: dataset.classes,
  };
}

test('a semicolon table, a .tsv and a tab-separated .csv load as the same comma table does', async () => {
  const dir = scratchFolder({
    'comma.csv': table(','),
    'semicolon.csv': table(';'),
    'tabs.tsv': table('\t'),
    'tabs.csv': table('\t'),
  });
  const expected = examples(await load(dir, 'comma.csv'));
  assert.deepEqual(expected?.classes, ['red', 'white']);
  for (const source of ['semicolon.csv', 'tabs.tsv', 'tabs.csv'])
    assert.deepEqual(examples(await load(dir, source)), expected, source);
});

test('the separator: the most frequent of comma, semicolon and tab outside quotes on the first line', () => {
  assert.equal(tableDelimiter('a;b;c\n1,5;2;x\n', 'a.csv'), ';', 'commas on later lines do not count');
  assert.equal(tableDelimiter('"a,b,c";d;e\n', 'a.csv'), ';', 'commas inside quotes do not count');
  assert.equal(tableDelimiter('a,b;c\n', 'a.csv'), ',', 'a tie goes to the comma');
  assert.equal(tableDelimiter('a;b\tc\n', 'a.csv'), ';', 'then to the semicolon');
  assert.equal(tableDelimiter('\uFEFFa\tb\tc,d\r\n', 'a.csv'), '\t');
  assert.equal(
    tableDelimiter('a,b,c;d\n', 'a.TSV'),
    '\t',
    'a .tsv file is tab-separated whatever its header',
  );
});

test('a .tsv whose column names hold commas is read by its tabs', async () => {
  const dir = scratchFolder({ 'named.tsv': table('\t', 'mass, in grams') });
  const dataset = await load(dir, 'named.tsv');
  assert.deepEqual(dataset.inputShape, [2]);
});

test('a decimal comma in a semicolon table is not guessed: the error says to save with a decimal point', async () => {
  const dir = scratchFolder({ 'excel.csv': table(';').replace('\r\n1.11;', '\r\n1,11;') });
  const error = await dataError(load(dir, 'excel.csv'));
  assert.equal(error.line, 5);
  assert.equal(
    error.message,
    'column "mass" holds "1,11", not a number (features must be numeric; list a column of text in data.categorical to one-hot encode it); Model Lab reads decimal points, not decimal commas: save the table with "." as the decimal separator',
  );
});

test('a table of one column says how columns are separated', async () => {
  const dir = scratchFolder({ 'pipes.csv': 'a|b|label\n1|2|x\n3|4|y\n' });
  const error = await dataError(load(dir, 'pipes.csv', { target: undefined }));
  assert.equal(error.file, join(dir, 'pipes.csv'));
  assert.equal(error.line, 1);
  assert.match(
    error.message,
    /its first line is one column: separate columns with commas, semicolons or tabs/,
  );
});

/** A Kaggle-style table: an ID and a name beside the numeric features, the label in the middle. */
const PASSENGERS = [
  'PassengerId,Name,Survived,Age,Fare',
  ...Array.from(
    { length: 30 },
    (_, i) => `${i + 1},"Person ${i}, Mr.",${i % 2},${20 + i},${(i * 3.5).toFixed(1)}`,
  ),
].join('\n');

test('data.columns picks the feature columns by name or index, leaving the ID and name columns out', async () => {
  const dir = scratchFolder({ 'passengers.csv': PASSENGERS });
  const byName = await load(dir, 'passengers.csv', { target: 'Survived', columns: ['Fare', 'Age'] });
  const byIndex = await load(dir, 'passengers.csv', { target: 'Survived', columns: [4, 3] });
  assert.deepEqual(byName.inputShape, [2]);
  assert.deepEqual(examples(byIndex), examples(byName));
  const arrays = (
    await load(dir, 'passengers.csv', { target: 'Survived', columns: ['Fare', 'Age'], normalize: 'none' })
  ).arrays();
  assert.equal(arrays.kind, 'rows');
  if (arrays.kind === 'rows')
    assert.deepEqual(
      Array.from((arrays.x as Float32Array).slice(0, 4)),
      [0, 20, 3.5, 21],
      'in the listed order',
    );
});

test('without data.columns every column but the target is a feature: the name column is then an error', async () => {
  const dir = scratchFolder({ 'passengers.csv': PASSENGERS });
  const error = await dataError(load(dir, 'passengers.csv', { target: 'Survived' }));
  assert.equal(error.line, 2);
  assert.match(error.message, /^column "Name" holds "Person 0, Mr.", not a number/);
});

test('a data.columns entry that names no column, the target or a repeat is an error on that entry', async () => {
  const dir = scratchFolder({ 'passengers.csv': PASSENGERS });
  const refused = async (columns: (string | number)[]) => {
    const error = await dataError(load(dir, 'passengers.csv', { target: 'Survived', columns }));
    assert.equal(error.file, join(dir, 'passengers.csv'));
    return { field: error.field, message: error.message };
  };
  assert.deepEqual(await refused(['Age', 'Fair']), {
    field: ['data', 'columns', 1],
    message: 'no column named "Fair"; columns: PassengerId, Name, Survived, Age, Fare',
  });
  assert.deepEqual(await refused(['Age', 7]), {
    field: ['data', 'columns', 1],
    message: 'data.columns entry 7 does not exist: the file has columns 0 to 4',
  });
  assert.deepEqual(await refused(['Age', 2]), {
    field: ['data', 'columns', 1],
    message:
      'data.columns lists the target column "Survived": the model would read what it predicts; leave it out',
  });
  assert.deepEqual(await refused([3, 'Fare', 'Age']), {
    field: ['data', 'columns', 2],
    message: 'data.columns lists column "Age" twice',
  });
});

const TITANIC_SPLITS = { train: 0.5, validation: 0.25, test: 0.25 };
/** The first test row (seed 3): it embarks at "Q", a port no training row has. */
const UNSEEN_ROW = assignSplits(40, TITANIC_SPLITS, 3).test[0];

/** Titanic-like rows: Sex and Embarked are text. */
function titanic(rows = 40): string {
  const lines = Array.from({ length: rows }, (_, i) => {
    const sex = i % 3 === 0 ? 'female' : 'male';
    const port = i === UNSEEN_ROW ? 'Q' : ['S', 'C'][i % 2];
    return `${i + 1},${i % 2},${sex},${20 + (i % 30)},${port}`;
  });
  return ['PassengerId,Survived,Sex,Age,Embarked', ...lines].join('\n') + '\n';
}

test('data.categorical one-hot encodes text columns after the numeric ones, over the training categories', async () => {
  const dir = scratchFolder({ 'titanic.csv': titanic() });
  const data = {
    target: 'Survived',
    columns: ['Sex', 'Age', 'Embarked'],
    categorical: ['Embarked', 'Sex'],
    splits: TITANIC_SPLITS,
    seed: 3,
  };
  const dataset = await load(dir, 'titanic.csv', data);
  const arrays = dataset.arrays();
  assert.equal(arrays.kind, 'rows');
  if (arrays.kind !== 'rows') return;
  assert.deepEqual(dataset.inputEncoding, {
    numeric: ['Age'],
    categorical: [
      { column: 'Embarked', categories: ['C', 'S'] },
      { column: 'Sex', categories: ['female', 'male'] },
    ],
  });
  assert.deepEqual(dataset.inputShape, [5]);
  const row = (r: number) => Array.from((arrays.x as Float32Array).slice(r * 5, r * 5 + 5));
  assert.deepEqual(row(0).slice(1), [0, 1, 1, 0], 'S, female');
  assert.deepEqual(row(1).slice(1), [1, 0, 0, 1], 'C, male');
  assert.deepEqual(row(UNSEEN_ROW).slice(1, 3), [0, 0], 'an unseen port is all zeros');
  assert.deepEqual(row(UNSEEN_ROW).slice(3), UNSEEN_ROW % 3 === 0 ? [1, 0] : [0, 1], 'its sex is encoded');
  const ages = Array.from(arrays.splits.train, (r) => row(r)[0]);
  assert.ok(
    Math.abs(ages.reduce((a, b) => a + b, 0) / ages.length) < 1e-5,
    'the numeric column is standardised',
  );
  assert.deepEqual(
    dataset.inputScaling?.slice(1),
    Array.from({ length: 4 }, () => ({ shift: 0, scale: 1 })),
    'the one-hot positions are not scaled',
  );
});

test('data.categorical: a text feature names the option; the target, a left-out column and an empty cell are refused', async () => {
  const dir = scratchFolder({
    'titanic.csv': titanic(),
    'gap.csv': titanic().replace('\n4,1,female,23,C\n', '\n4,1,,23,C\n'),
  });
  const text = await dataError(load(dir, 'titanic.csv', { target: 'Survived', columns: ['Sex', 'Age'] }));
  assert.equal(
    text.message,
    'column "Sex" holds "female", not a number (features must be numeric; list a column of text in data.categorical to one-hot encode it)',
  );
  const target = await dataError(load(dir, 'titanic.csv', { target: 'Survived', categorical: ['Survived'] }));
  assert.deepEqual(target.field, ['data', 'categorical', 0]);
  assert.match(target.message, /lists the target column "Survived": its values are the classes already/);
  const leftOut = await dataError(
    load(dir, 'titanic.csv', { target: 'Survived', columns: ['Age'], categorical: ['Age', 'Sex'] }),
  );
  assert.deepEqual(leftOut.field, ['data', 'categorical', 1]);
  assert.match(leftOut.message, /lists column "Sex", which data.columns leaves out/);
  const empty = await dataError(
    load(dir, 'gap.csv', { target: 'Survived', columns: ['Sex', 'Age'], categorical: ['Sex'] }),
  );
  assert.equal(empty.line, 5);
  assert.match(empty.message, /^column "Sex" has no value \(""\): .*data\.missing/);
});

test('minmax scales a column of 200 000 rows to [0, 1] by its training rows', async () => {
  // More rows than a spread into Math.min may pass as arguments.
  const rows = Array.from({ length: 200_000 }, (_, i) => `${(i * 7919) % 200_000},${i % 2 ? 'odd' : 'even'}`);
  const dir = scratchFolder({ 'big.csv': ['value,parity', ...rows].join('\n') + '\n' });
  const dataset = await load(dir, 'big.csv', { target: 'parity', normalize: 'minmax' });
  const arrays = dataset.arrays();
  assert.equal(arrays.kind, 'rows');
  if (arrays.kind !== 'rows') return;
  const x = arrays.x as Float32Array;
  let [low, high] = [Infinity, -Infinity];
  for (const v of x) [low, high] = [Math.min(low, v), Math.max(high, v)];
  // The training rows span [0, 1] (the other splits may reach just past it).
  assert.ok(low > -0.001 && low <= 0 && high >= 1 && high < 1.001, `${low}..${high}`);
});
