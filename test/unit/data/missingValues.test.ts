/**
 * data.missing on a Titanic-like table with empty Age, Fare and Embarked cells and one row
 * without a label: "error" names the row and column, "drop" leaves out exactly the incomplete
 * rows, "fill" fills from the training split alone.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Dataset } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { assignSplits } from '../../../src/data/splits';
import { dataError, experimentWith, scratchFolder } from './fixtures';

const SPLITS = { train: 0.5, validation: 0.25, test: 0.25 };
const SEED = 5;
const ROWS = 40;
/** Which rows train: the row without a label is the last, so the others keep these indices. */
const TRAIN = new Set(assignSplits(ROWS, SPLITS, SEED).train);

interface Passenger {
  survived: string;
  sex: string;
  age: string;
  fare: string;
  embarked: string;
}

/**
 * Validation and test rows are 60 years older and all embark at "Q", so statistics of all rows
 * (mean age, most frequent port) differ from those of the training rows.
 */
function passenger(i: number): Passenger {
  const train = TRAIN.has(i);
  return {
    survived: String(i % 2),
    sex: i % 3 === 0 ? 'female' : 'male',
    age: i % 5 === 2 ? '' : i === 9 ? 'NA' : String((train ? 20 : 80) + i),
    fare: i === 11 ? 'null' : String(10 + i * 0.5),
    embarked: i % 10 === 4 ? '' : train ? (i % 3 === 0 ? 'C' : 'S') : 'Q',
  };
}
const PASSENGERS = Array.from({ length: ROWS }, (_, i) => passenger(i));
const NO_LABEL = { survived: '', sex: 'male', age: '30', fare: '12', embarked: 'S' };

function csv(passengers: Passenger[]): string {
  const lines = passengers.map((p, i) => `${i + 1},${p.survived},${p.sex},${p.age},${p.fare},${p.embarked}`);
  return ['PassengerId,Survived,Sex,Age,Fare,Embarked', ...lines].join('\n') + '\n';
}

const TITANIC = csv([...PASSENGERS, NO_LABEL]);
const missingNumber = (cell: string) => ['', 'NA', 'null'].includes(cell);
const complete = (p: Passenger) =>
  p.survived !== '' && !missingNumber(p.age) && !missingNumber(p.fare) && p.embarked !== '';

function load(dir: string, data: object): Promise<Dataset> {
  return loadDataset(
    experimentWith({
      source: 'titanic.csv',
      target: 'Survived',
      columns: ['Sex', 'Age', 'Fare', 'Embarked'],
      categorical: ['Sex', 'Embarked'],
      normalize: 'none',
      splits: SPLITS,
      seed: SEED,
      ...data,
    }),
    dir,
  );
}

/** The input rows: Age, Fare, then Sex (female, male) and Embarked one-hot. */
function inputRows(dataset: Dataset): number[][] {
  const arrays = dataset.arrays();
  assert.equal(arrays.kind, 'rows');
  if (arrays.kind !== 'rows') return [];
  const width = dataset.inputShape[0];
  return Array.from({ length: arrays.count }, (_, r) =>
    Array.from((arrays.x as Float32Array).subarray(r * width, (r + 1) * width)),
  );
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

test('data.missing "drop" leaves out every row with a missing feature or label, and says how many', async () => {
  const dir = scratchFolder({ 'titanic.csv': TITANIC });
  const dataset = await load(dir, { missing: 'drop' });
  const kept = [...PASSENGERS, NO_LABEL].filter(complete);
  assert.equal(kept.length, 26, 'the fixture has 15 incomplete rows');
  const { train, validation, test: testRows } = dataset.sizes;
  assert.equal(train + validation + testRows, 26);
  assert.deepEqual(dataset.notes, ['data.missing "drop" left out 15 of 41 rows: they have a missing value.']);
  assert.deepEqual(
    inputRows(dataset).map((row) => row.slice(0, 2)),
    kept.map((p) => [Number(p.age), Number(p.fare)]),
    'the complete rows, in file order',
  );
});

test('data.missing "fill": means and most frequent values of the training split only; model input records them', async () => {
  const dir = scratchFolder({ 'titanic.csv': TITANIC });
  const dataset = await load(dir, { missing: 'fill' });
  assert.deepEqual(dataset.notes, ['data.missing "fill" left out 1 of 41 rows: they have no target.']);
  assert.equal(dataset.sizes.train + dataset.sizes.validation + dataset.sizes.test, ROWS);

  const train = PASSENGERS.filter((_, i) => TRAIN.has(i));
  const present = (values: string[]) => values.filter((v) => !missingNumber(v)).map(Number);
  const age = mean(present(train.map((p) => p.age)));
  const fare = mean(present(train.map((p) => p.fare)));
  // With leakage the fill would be these instead: the test would fail on them.
  assert.ok(Math.abs(mean(present(PASSENGERS.map((p) => p.age))) - age) > 10);
  const ports = PASSENGERS.map((p) => p.embarked);
  assert.ok(ports.filter((e) => e === 'Q').length > ports.filter((e) => e === 'S').length);

  const fill = dataset.inputEncoding?.fill;
  assert.ok(fill, 'the input encoding records the fill values');
  assert.deepEqual(Object.keys(fill), ['Age', 'Fare', 'Sex', 'Embarked']);
  assert.ok(Math.abs((fill.Age as number) - age) < 1e-9, `Age filled with ${fill.Age}, training mean ${age}`);
  assert.ok(
    Math.abs((fill.Fare as number) - fare) < 1e-9,
    `Fare filled with ${fill.Fare}, training mean ${fare}`,
  );
  assert.equal(fill.Sex, 'male');
  assert.equal(fill.Embarked, 'S', 'the training rows’ most frequent port, not all rows’ ("Q")');
  assert.deepEqual(dataset.inputEncoding?.categorical, [
    { column: 'Sex', categories: ['female', 'male'] },
    { column: 'Embarked', categories: ['C', 'S'] },
  ]);

  const rows = inputRows(dataset);
  PASSENGERS.forEach((p, i) => {
    const row = rows[i];
    assert.equal(row[0], Math.fround(missingNumber(p.age) ? age : Number(p.age)), `row ${i} Age`);
    assert.equal(row[1], Math.fround(missingNumber(p.fare) ? fare : Number(p.fare)), `row ${i} Fare`);
    if (p.embarked === '') assert.deepEqual(row.slice(4), [0, 1], `row ${i}: an empty port is "S"`);
  });
});

test('data.missing "error" (the default) names the row, the column and the option', async () => {
  const C = PASSENGERS.filter(complete);
  const dir = scratchFolder({
    'titanic.csv': TITANIC,
    'port.csv': csv([C[0], C[1], { ...C[2], embarked: ' ' }, ...C.slice(3, 8)]),
    'na.csv': csv([C[0], { ...C[1], fare: 'N/A' }, ...C.slice(2, 8)]),
    'label.csv': csv([...C.slice(0, 8), NO_LABEL]),
    'text.csv': csv([C[0], C[1], { ...C[2], age: '?' }, ...C.slice(3, 8)]),
  });
  const age = await dataError(load(dir, {}));
  assert.equal(age.line, 4, 'row 2 (line 4) has no age');
  assert.equal(
    age.message,
    'column "Age" has no value (""): fill it in, or set data.missing to "drop" to leave such rows out or to "fill" to fill them from the training split',
  );
  const port = await dataError(load(dir, { source: 'port.csv', missing: 'error' }));
  assert.equal(port.line, 4);
  assert.match(port.message, /^column "Embarked" has no value \(" "\): .*data\.missing/);
  const na = await dataError(load(dir, { source: 'na.csv' }));
  assert.equal(na.line, 3);
  assert.match(na.message, /^column "Fare" has no value \("N\/A"\)/);
  const label = await dataError(load(dir, { source: 'label.csv' }));
  assert.equal(label.line, 10);
  assert.equal(
    label.message,
    'target column "Survived" has no value (""): fill it in or leave the row out; data.missing "drop" and "fill" leave out rows without a target',
  );
  const text = await dataError(load(dir, { source: 'text.csv', missing: 'fill' }));
  assert.equal(text.line, 4, '"?" is not a missing value but a cell that is no number');
  assert.match(text.message, /^column "Age" holds "\?", not a number/);
});

test('"NA" in a categorical column is a category, not a missing value; a column with no training value cannot be filled', async () => {
  const northAmerica = PASSENGERS.slice(0, 8).map((p) => ({ ...p, age: '30', fare: '9', embarked: 'NA' }));
  const dir = scratchFolder({
    'titanic.csv': csv(northAmerica),
    'ageless.csv': csv(PASSENGERS.map((p) => ({ ...p, age: '' }))),
  });
  const dataset = await load(dir, { splits: { train: 0.5, validation: 0.5, test: 0 } });
  assert.deepEqual(dataset.inputEncoding?.categorical[1], { column: 'Embarked', categories: ['NA'] });
  const ageless = await dataError(load(dir, { source: 'ageless.csv', missing: 'fill' }));
  assert.deepEqual(ageless.field, ['data', 'missing']);
  assert.match(ageless.message, /^column "Age" has no value in any training row/);
});
