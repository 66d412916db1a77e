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
    'column "mass" holds "1,11", not a number (features must be numeric); Model Lab reads decimal points, not decimal commas: save the table with "." as the decimal separator',
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
