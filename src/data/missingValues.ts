/**
 * Missing cells of a table (data.missing). "error" refuses the first one, naming its row and
 * column; "drop" leaves out every row with one (pandas' dropna); "fill" gives a numeric column
 * the training split's mean and a categorical column its most frequent value (scikit-learn's
 * SimpleImputer, strategies "mean" and "most_frequent"), so no statistic of validation or test
 * rows reaches training. A row without a target is left out under "drop" and "fill": there is
 * nothing to learn from it.
 */
import * as l10n from '@vscode/l10n';
import type { MissingValues } from '../contract/experiment';
import { parseNumber, sortLabels, type CsvRecord } from './csv';
import { DataError } from './dataError';

/**
 * The words pandas' read_csv also takes for "no value", compared without case. They count only in
 * numeric columns (and a regression target), where they cannot be data; in a categorical column
 * or a class label "NA" may well be a value (North America), so there only an empty cell is
 * missing. "?" and "-" are not read as missing: replace them with empty cells.
 */
const NO_VALUE_WORDS = new Set(['na', 'n/a', 'nan', 'null']);

export function isMissing(cell: string, numeric: boolean): boolean {
  const trimmed = cell.trim();
  return trimmed === '' || (numeric && NO_VALUE_WORDS.has(trimmed.toLowerCase()));
}

/** A data row and the file it is in (split files are several). */
export type SourcedRecord = CsvRecord & { file: string };

/** Which columns of a table are what, and how its messages name a column. */
export interface TableColumns {
  numeric: number[];
  categorical: number[];
  target: number;
  /** Regression: the target is a number, so the no-value words count there too. */
  numericTarget: boolean;
  columnName: (c: number) => string;
}

/**
 * The rows that go on to the splits: all of them under "error" (after refusing the first missing
 * cell), those without a missing cell under "drop", those with a target under "fill".
 */
export function rowsToKeep<R extends SourcedRecord>(
  records: R[],
  columns: TableColumns,
  mode: MissingValues,
): R[] {
  const { numeric, categorical, target, numericTarget } = columns;
  const targetMissing = (record: R) => isMissing(record.cells[target], numericTarget);
  const featureMissing = (record: R) =>
    numeric.some((c) => isMissing(record.cells[c], true)) ||
    categorical.some((c) => isMissing(record.cells[c], false));
  if (mode === 'drop') return records.filter((record) => !targetMissing(record) && !featureMissing(record));
  if (mode === 'fill') return records.filter((record) => !targetMissing(record));
  for (const record of records) refuseMissing(record, columns);
  return records;
}

function refuseMissing(
  record: SourcedRecord,
  { numeric, categorical, target, numericTarget, columnName }: TableColumns,
) {
  const cells = record.cells;
  const at = (message: string) => new DataError(message, record.file, record.line);
  if (isMissing(cells[target], numericTarget))
    throw at(
      l10n.t(
        'target column {0} has no value ({1}): fill it in or leave the row out; data.missing "drop" and "fill" leave out rows without a target',
        columnName(target),
        JSON.stringify(cells[target]),
      ),
    );
  const missing = [...numeric.map((c) => [c, true] as const), ...categorical.map((c) => [c, false] as const)]
    .filter(([c, isNumeric]) => isMissing(cells[c], isNumeric))
    .sort(([a], [b]) => a - b)[0];
  if (missing)
    throw at(
      l10n.t(
        'column {0} has no value ({1}): fill it in, or set data.missing to "drop" to leave such rows out or to "fill" to fill them from the training split',
        columnName(missing[0]),
        JSON.stringify(cells[missing[0]]),
      ),
    );
}

/** "drop": how many rows it left out, for the run's log. */
export function droppedRowsNote(dropped: number, total: number, mode: MissingValues): string | undefined {
  if (dropped === 0) return undefined;
  return mode === 'drop'
    ? l10n.t('data.missing "drop" left out {0} of {1} rows: they have a missing value.', dropped, total)
    : l10n.t('data.missing "fill" left out {0} of {1} rows: they have no target.', dropped, total);
}

/** What "fill" puts in each feature column's empty cells, by column name, in input order. */
export type FillValues = Record<string, number | string>;

/**
 * "fill": the training rows' mean of each numeric column goes into its NaN cells of `x` (rows ×
 * numeric columns), their most frequent value of each categorical column into its empty cells of
 * `records` (the first in label order on a tie, as SimpleImputer takes the smallest). Returns
 * them by column name. The mean is of the cells' own numbers, as scikit-learn's of float64.
 */
export function fillMissing(
  records: SourcedRecord[],
  x: Float32Array,
  trainRows: Int32Array,
  { numeric, categorical, columnName }: TableColumns,
  plainName: (c: number) => string,
  file: string,
  /** A model's own fill values (its input encoding), used instead of the training rows'. */
  given: FillValues = {},
): FillValues {
  const fill: FillValues = {};
  const present = (c: number, isNumeric: boolean) =>
    Array.from(trainRows, (r) => records[r].cells[c]).filter((cell) => !isMissing(cell, isNumeric));
  const noValue = (c: number) =>
    new DataError(
      l10n.t(
        'column {0} has no value in any training row, so data.missing "fill" has nothing to fill it with; leave the column out of data.columns',
        columnName(c),
      ),
      file,
      undefined,
      ['data', 'missing'],
    );
  numeric.forEach((c, i) => {
    const own = given[plainName(c)];
    // Every present cell is a number: numericColumns refused the others.
    const values = typeof own === 'number' ? [own] : present(c, true).map((cell) => parseNumber(cell)!);
    if (values.length === 0) throw noValue(c);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    fill[plainName(c)] = mean;
    for (let at = i; at < x.length; at += numeric.length) if (Number.isNaN(x[at])) x[at] = mean;
  });
  for (const c of categorical) {
    const own = given[plainName(c)];
    const counts = new Map<string, number>();
    for (const cell of typeof own === 'string' ? [own] : present(c, false))
      counts.set(cell.trim(), (counts.get(cell.trim()) ?? 0) + 1);
    if (counts.size === 0) throw noValue(c);
    const most = Math.max(...counts.values());
    const value = sortLabels([...counts.keys()].filter((key) => counts.get(key) === most))[0];
    fill[plainName(c)] = value;
    for (const record of records) if (isMissing(record.cells[c], false)) record.cells[c] = value;
  }
  return fill;
}
