/**
 * Tables from a CSV file: every column but the target is a numeric feature;
 * the target column holds class labels (classification) or numbers
 * (regression). Feature scaling is fitted on the training split only, so no
 * statistic of validation or test data leaks into training.
 */
import * as l10n from '@vscode/l10n';
import type { Experiment } from '../contract/experiment';
import type { Dataset, TargetScaling, TypedTexts } from './api';
import { encodedColumns, type InputEncoding } from '../contract/inputEncoding';
import { categoriesOf, oneHotRows } from './categorical';
import { parseCsv, parseNumber, sortLabels, tableDelimiter, type CsvRecord } from './csv';
import { DataError } from './dataError';
import { adoptModelClasses, type ModelClasses } from './modelClasses';
import {
  droppedRowsNote,
  fillMissing,
  isMissing,
  rowsToKeep,
  type FillValues,
  type SourcedRecord,
} from './missingValues';
import type { Split } from '../contract/runStatus';
import { assignSplits, contiguousSplits, fractionsOf, refuseEmptySplits, type SplitIndices } from './splits';
import { tensorDataset } from './tensorDataset';
import { refuseUnknownIds, type TextTokenizer } from './textTokenizer';
import { extremes } from '../contract/extremes';

/** One CSV file of a table: the whole data (cut by data.splits), or one split's rows (split files). */
export interface CsvFile {
  file: string;
  text: string;
  split?: Split;
}

/** What a table loader knows of the model: token ids it reads, and a tokenizer for a text column. */
export type TableExperiment = Experiment & {
  tokenIds?: number;
  textTokenizer?: TextTokenizer;
  modelClasses?: ModelClasses;
  /** An imported model.onnx's own encoding of a table (data/importedModel.ts). */
  inputEncoding?: InputEncoding;
};

/** A table from one CSV file, its rows assigned to splits by data.splits and data.seed. */
export function csvDataset(source: string, text: string, file: string, experiment: TableExperiment): Dataset {
  return csvTable(source, [{ file, text }], experiment);
}

/**
 * A table from its CSV files: one file cut by the fractions, or split files (each `split`
 * given) whose rows are that split, in file order. Split files must have the columns of the
 * training file; a message about a row names the file it is in.
 */
export function csvTable(source: string, files: CsvFile[], experiment: TableExperiment): Dataset {
  const encoding = experiment.inputEncoding;
  const data = encoding ? readingModelColumns(experiment.data, encoding) : experiment.data;
  const header = data.header ?? true;
  const [first, ...others] = files.map((f) => ({ ...f, ...readCsvRows(f.text, f.file, header) }));
  const { names, width, file } = first;
  if (encoding) refuseWithoutModelColumns(data.columns as string[], names, file);
  for (const other of others) {
    const same = names ? other.names!.join('\u0000') === names.join('\u0000') : other.width === width;
    if (!same)
      throw new DataError(
        names
          ? l10n.t(
              'its columns ({0}) differ from those of {1} ({2})',
              other.names!.join(', '),
              file,
              names.join(', '),
            )
          : l10n.t('its rows have {0} cells, those of {1} have {2}', other.width, file, width),
        other.file,
        1,
      );
  }
  if (width < 2)
    throw new DataError(
      l10n.t(
        'the table needs at least one feature column and a target column, but its first line is one column: separate columns with commas, semicolons or tabs',
      ),
      file,
      1,
    );
  const allRecords = [first, ...others].flatMap((f) =>
    f.records.map((record) => ({ ...record, file: f.file, split: f.split })),
  );
  const targetColumn = resolveTarget(data.target, names, width, file);
  const columnName = (c: number): string => (names ? `"${names[c]}"` : `${c}`);
  const columnsOf = { names, width, file, columnName };
  const featureColumns = tableFeatureColumns(data.columns, targetColumn, columnsOf);
  const tokenizer = experiment.textTokenizer;
  if (tokenizer) refuseOtherThanTexts(featureColumns, columnsOf, data.columns !== undefined);
  const categorical = categoricalColumns(data.categorical, featureColumns, targetColumn, columnsOf);
  // A text column read by the tokenizer is not a number.
  const numeric = tokenizer ? [] : featureColumns.filter((c) => !categorical.includes(c));
  const missing = data.missing ?? 'error';
  const roles = {
    numeric,
    categorical,
    target: targetColumn,
    numericTarget: experiment.task === 'regression',
    columnName,
  };
  const records = rowsToKeep(allRecords, roles, missing);
  const count = records.length;
  if (count === 0)
    throw new DataError(
      l10n.t(
        'data.missing "{0}" leaves out all {1} rows: each has a missing value',
        missing,
        allRecords.length,
      ),
      file,
      undefined,
      ['data', 'missing'],
    );
  const droppedNote = droppedRowsNote(allRecords.length - count, allRecords.length, missing);
  // Missing numbers (left only under "fill") are NaN until the training split is known.
  const x = numericColumns(
    records,
    numeric,
    names,
    file,
    l10n.t('features must be numeric; list a column of text in data.categorical to one-hot encode it'),
    missing === 'fill',
  );

  let splits: SplitIndices;
  if (first.split) {
    const counts = { train: 0, validation: 0, test: 0 };
    for (const record of records) counts[record.split!]++;
    splits = contiguousSplits(counts);
  } else {
    const fractions = fractionsOf(data);
    splits = assignSplits(count, fractions, data.seed);
    refuseEmptySplits(splits, fractions, file, 'rows');
  }
  const tokenIds = experiment.tokenIds;
  const mode = data.normalize ?? 'standard';
  if (tokenIds !== undefined && categorical.length > 0)
    throw new DataError(
      l10n.t('data.categorical one-hot encodes columns as numbers, but the model reads token ids'),
      file,
      undefined,
      ['data', 'categorical'],
    );
  if (tokenIds !== undefined && missing === 'fill')
    throw new DataError(
      l10n.t('data.missing "fill" fills in means, but the model reads token ids: use "drop"'),
      file,
      undefined,
      ['data', 'missing'],
    );
  const plainName = (c: number): string => names?.[c] ?? String(c);
  // Filled before scaling and one-hot encoding read them, from the training rows only.
  const fill: FillValues | undefined =
    missing === 'fill'
      ? fillMissing(records, x, splits.train, roles, plainName, file, encoding?.fill)
      : undefined;
  const scalings = tokenIds === undefined ? normalize(x, numeric.length, splits, mode) : undefined;
  // Categorical columns follow the numeric ones, one position per category of the training rows.
  // A model's own categories, else the training rows'.
  const categories = encoding
    ? categorical.map((c) => encoding.categorical.find((e) => e.column === plainName(c))!.categories)
    : categoriesOf(records, categorical, splits.train);
  const oneHotWidth = categories.reduce((sum, list) => sum + list.length, 0);
  const inputEncoding: InputEncoding | undefined =
    categorical.length > 0 || fill
      ? {
          numeric: numeric.map(plainName),
          categorical: categorical.map((c, i) => ({ column: plainName(c), categories: categories[i] })),
          ...(fill && { fill }),
        }
      : undefined;
  const unscaled = Array.from({ length: oneHotWidth }, () => ({ shift: 0, scale: 1 }));
  const table = {
    source,
    notes: droppedNote === undefined ? undefined : [droppedNote],
    inputShape: tokenizer ? [tokenLength(experiment)] : [numeric.length + oneHotWidth],
    count,
    ...(tokenizer
      ? {
          inputKind: 'tokens' as const,
          x: tokenizedRows(records, featureColumns, tokenizer, tokenLength(experiment), tokenIds!),
          typedTexts: typedTexts(
            featureColumns.map(plainName),
            tokenizer,
            tokenLength(experiment),
            tokenIds!,
          ),
          ...(featureColumns.length === 2
            ? { textPairs: { secondTextAfter: tokenizer.secondTextAfter, padId: tokenizer.padId } }
            : {}),
        }
      : tokenIds === undefined
        ? {
            inputKind: 'float' as const,
            x: categorical.length > 0 ? oneHotRows(x, numeric.length, records, categorical, categories) : x,
            inputScaling: mode === 'none' ? undefined : [...scalings!, ...unscaled],
            inputEncoding,
          }
        : { inputKind: 'tokens' as const, x: asTokenIds(x, tokenIds, records, featureColumns, columnName) }),
  };

  if (experiment.task === 'regression') {
    const targets = new Float32Array(count);
    records.forEach((record, r) => {
      const cell = record.cells[targetColumn];
      const value = parseNumber(cell);
      if (value === undefined) {
        throw new DataError(
          l10n.t(
            'target column {0} holds {1}, not a number (regression needs numeric targets)',
            columnName(targetColumn),
            JSON.stringify(cell),
          ) + decimalCommaHint(cell),
          record.file,
          record.line,
        );
      }
      refuseBeyondFloat32(
        value,
        cell,
        l10n.t('target column {0}', columnName(targetColumn)),
        record.file,
        record.line,
      );
      targets[r] = value;
    });
    return tensorDataset({ ...table, targets, targetWidth: 1 }, splits, experiment.training.loss);
  }
  const labelsText = records.map((record) => record.cells[targetColumn].trim());
  const classes = sortLabels([...new Set(labelsText)]);
  if (classes.length < 2) {
    throw new DataError(
      l10n.t(
        'target column {0} holds only one class ({1}): a classifier needs at least two; check data.target, or use "task": "regression" for a numeric target',
        columnName(targetColumn),
        JSON.stringify(classes[0]),
      ),
      file,
      names ? 1 : records[0].line,
    );
  }
  const ids = new Map(classes.map((label, id) => [label, id]));
  const labels = Int32Array.from(labelsText, (label) => ids.get(label)!);
  return tensorDataset(
    { ...table, ...adoptModelClasses(labels, classes, experiment.modelClasses) },
    splits,
    experiment.training.loss,
  );
}

/** A CSV's data rows, all of the same width, and its column names when it has a header row. */
export function readCsvRows(
  text: string,
  file: string,
  header: boolean,
): { names?: string[]; records: CsvRecord[]; width: number } {
  const records = parseCsv(text.replace(/^\uFEFF/, ''), file, tableDelimiter(text, file));
  const names = header ? records.shift()?.cells.map((name) => name.trim()) : undefined;
  if (names && names.length > 1 && names.every((name) => parseNumber(name) !== undefined)) {
    // Every "name" is a number: the file most likely starts with data, and its first row would be lost.
    throw new DataError(
      l10n.t(
        'the header row holds only numbers ({0}), so it looks like data: set "data.header": false if the file has no header row, or give its columns names',
        names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : ''),
      ),
      file,
      1,
    );
  }
  if (records.length === 0) throw new DataError(l10n.t('the CSV file has no data rows'), file, names ? 2 : 1);
  const width = names?.length ?? records[0].cells.length;
  for (const record of records) {
    if (record.cells.length !== width) {
      throw new DataError(
        l10n.t('row has {0} cells, expected {1} like the first row', record.cells.length, width),
        file,
        record.line,
      );
    }
  }
  return { names, records, width };
}

/**
 * With a tokenizer, the features are one column of text, or two that data.columns names: the
 * texts of a pair (so that a stray second column is never read as a second text unasked).
 */
function refuseOtherThanTexts(features: number[], { columnName }: TableHeader, named: boolean): void {
  if (features.length === 1 || (features.length === 2 && named)) return;
  throw new DataError(
    l10n.t(
      'data.tokenizer reads one column of text beside the target, or two named in data.columns for pairs of texts, but the table has {0} feature columns ({1}): name the text column in data.columns, e.g. "columns": ["text"], or both texts of a pair, e.g. "columns": ["premise", "hypothesis"]',
      features.length,
      features.map(columnName).join(', '),
    ),
    undefined,
    undefined,
    named ? ['data', 'columns'] : ['data', 'tokenizer'],
  );
}

/** The model's token ids per example: its input's size. */
function tokenLength(experiment: TableExperiment): number {
  const shape = (experiment.model as { input?: { shape: number[] } }).input?.shape ?? [];
  return shape.reduce((a, n) => a * n, 1);
}

/**
 * Each row's text, or pair of texts (two columns), as `length` token ids of the model
 * (rows × length), read by `tokenizer`.
 */
function tokenizedRows(
  records: SourcedRecord[],
  [column, second]: number[],
  tokenizer: TextTokenizer,
  length: number,
  known: number,
): BigInt64Array {
  const ids = new BigInt64Array(records.length * length);
  records.forEach((record, r) => {
    const texts = [record.cells[column] ?? '', ...(second === undefined ? [] : [record.cells[second] ?? ''])];
    const row = encodeTexts(texts, tokenizer, length, known, { file: record.file, line: record.line });
    row.forEach((id, i) => (ids[r * length + i] = BigInt(id)));
  });
  return ids;
}

/**
 * The data section of a model.onnx that says how it reads a table (its input encoding): its
 * numeric columns, then its categorical ones, by name; empty cells filled with its own values
 * where it has them.
 */
function readingModelColumns(data: Experiment['data'], encoding: InputEncoding): Experiment['data'] {
  const categorical = encoding.categorical.map((c) => c.column);
  return {
    ...data,
    columns: encodedColumns(encoding),
    ...(categorical.length ? { categorical } : {}),
    missing: data.missing ?? (encoding.fill ? 'fill' : 'error'),
  };
}

/** The model reads its columns by name: the table needs a header row that has each of them. */
function refuseWithoutModelColumns(columns: string[], names: string[] | undefined, file: string): void {
  const absent = columns.filter((column) => !names?.includes(column));
  if (absent.length === 0) return;
  throw new DataError(
    names
      ? l10n.t(
          'the model reads the columns {0} by name, and the table has no {1}',
          columns.map((c) => `"${c}"`).join(', '),
          absent.map((c) => `"${c}"`).join(', '),
        )
      : l10n.t(
          'the model reads the columns {0} by name: the table needs a header row naming them',
          columns.map((c) => `"${c}"`).join(', '),
        ),
    file,
    1,
  );
}

/** One example's ids: a text, or the two texts of a pair, of ids the model knows. */
function encodeTexts(
  [text, second]: string[],
  tokenizer: TextTokenizer,
  length: number,
  known: number,
  where: { file: string; line: number },
): number[] {
  const row =
    second === undefined
      ? tokenizer.encode(text, length, where)
      : tokenizer.encodePair(text, second, length, where);
  refuseUnknownIds(tokenizer, row, known, where);
  return row;
}

/** Texts typed in the playground, one per text column, read as `tokenizedRows` reads a row. */
function typedTexts(columns: string[], tokenizer: TextTokenizer, length: number, known: number): TypedTexts {
  const where = { file: l10n.t('the typed text'), line: 0 };
  return {
    columns,
    encode: (texts) => {
      const typed = columns.map((_, i) => texts[i] ?? '');
      return BigInt64Array.from(encodeTexts(typed, tokenizer, length, known, where), (id) => BigInt(id));
    },
  };
}

/**
 * The given columns of every row as numbers, row-major (rows × columns.length);
 * a cell that is not a finite number is an error naming its column and row, and its file
 * (the record's own when it names one, else `file`).
 */
/**
 * The features of a model that reads token ids (an imported model with an embedding first): each
 * a whole number from 0 below the number of ids the model knows, kept as it is (no scaling).
 */
function asTokenIds(
  x: Float32Array,
  known: number,
  records: SourcedRecord[],
  columns: number[],
  columnName: (c: number) => string,
): BigInt64Array {
  const width = columns.length;
  x.forEach((value, i) => {
    if (Number.isInteger(value) && value >= 0 && value < known) return;
    const record = records[Math.floor(i / width)];
    throw new DataError(
      l10n.t(
        'column {0} holds {1}, but the model reads token ids: whole numbers from 0 to {2} (its embedding has {3} rows)',
        columnName(columns[i % width]),
        JSON.stringify(record.cells[columns[i % width]]),
        known - 1,
        known,
      ),
      record.file,
      record.line,
    );
  });
  return BigInt64Array.from(x, (v) => BigInt(v));
}

export function numericColumns(
  records: (CsvRecord & { file?: string })[],
  columns: number[],
  names: string[] | undefined,
  file: string,
  why: string,
  missingAsNaN = false,
): Float32Array {
  const values = new Float32Array(records.length * columns.length);
  records.forEach((record, r) => {
    columns.forEach((c, i) => {
      if (missingAsNaN && isMissing(record.cells[c], true)) {
        values[r * columns.length + i] = NaN;
        return;
      }
      const value = parseNumber(record.cells[c]);
      const column = l10n.t('column {0}', names ? `"${names[c]}"` : c);
      if (value === undefined) {
        const headerHint =
          !names && r === 0
            ? l10n.t('; if this first row names the columns, set "data.header": true')
            : decimalCommaHint(record.cells[c]);
        throw new DataError(
          l10n.t(
            '{0} holds {1}, not a number ({2}){3}',
            column,
            JSON.stringify(record.cells[c]),
            why,
            headerHint,
          ),
          record.file ?? file,
          record.line,
        );
      }
      refuseBeyondFloat32(value, record.cells[c], column, record.file ?? file, record.line);
      values[r * columns.length + i] = value;
    });
  });
  return values;
}

/** What a table's first file says about its columns: their names (with a header row) and count. */
interface TableHeader {
  names: string[] | undefined;
  width: number;
  file: string;
  /** A column as messages name it: "name" with a header row, else its index. */
  columnName: (c: number) => string;
}

/**
 * A table's feature columns: `data.columns` (names or indices) when given, else every column but
 * the target. Listing the target would let the model read what it predicts, and listing a column
 * twice is a slip; both are refused on the entry at fault.
 */
function tableFeatureColumns(
  columns: (string | number)[] | undefined,
  targetColumn: number,
  { names, width, file, columnName }: TableHeader,
): number[] {
  if (columns === undefined) return [...Array(width).keys()].filter((c) => c !== targetColumn);
  const resolved = resolveColumns(columns, names, width, file);
  resolved.forEach((c, i) => {
    const refuse = (message: string) => {
      throw new DataError(message, file, 1, ['data', 'columns', i]);
    };
    if (c === targetColumn)
      refuse(
        l10n.t(
          'data.columns lists the target column {0}: the model would read what it predicts; leave it out',
          columnName(c),
        ),
      );
    if (resolved.indexOf(c) < i) refuse(l10n.t('data.columns lists column {0} twice', columnName(c)));
  });
  return resolved;
}

/**
 * data.categorical as column indices: each one a feature column (not the target, not left out
 * of data.columns), refused on its entry otherwise.
 */
function categoricalColumns(
  categorical: (string | number)[] | undefined,
  featureColumns: number[],
  targetColumn: number,
  { names, width, file, columnName }: TableHeader,
): number[] {
  if (categorical === undefined) return [];
  const resolved = resolveColumns(categorical, names, width, file, 'categorical');
  resolved.forEach((c, i) => {
    if (featureColumns.includes(c)) return;
    throw new DataError(
      c === targetColumn
        ? l10n.t(
            'data.categorical lists the target column {0}: its values are the classes already',
            columnName(c),
          )
        : l10n.t('data.categorical lists column {0}, which data.columns leaves out', columnName(c)),
      file,
      1,
      ['data', 'categorical', i],
    );
  });
  return resolved;
}

/** `data.columns` (or `data.categorical`) as column indices; an entry that names no column is an error on that entry. */
export function resolveColumns(
  columns: (string | number)[],
  names: string[] | undefined,
  width: number,
  file: string,
  key: 'columns' | 'categorical' = 'columns',
): number[] {
  return columns.map((c, i) =>
    resolveTarget(c, names, width, file, l10n.t('data.{0} entry', key), ['data', key, i]),
  );
}

export function resolveTarget(
  target: string | number | undefined,
  names: string[] | undefined,
  width: number,
  file: string,
  role = l10n.t('target column'),
  field?: (string | number)[],
) {
  if (target === undefined) return width - 1;
  if (typeof target === 'number') {
    if (Number.isInteger(target) && target >= 0 && target < width) return target;
    throw new DataError(
      l10n.t('{0} {1} does not exist: the file has columns 0 to {2}', role, target, width - 1),
      file,
      1,
      field,
    );
  }
  const index = names?.indexOf(target) ?? -1;
  if (index < 0) {
    throw new DataError(
      names
        ? l10n.t('no column named "{0}"; columns: {1}', target, names.join(', '))
        : l10n.t(
            '{0} "{1}" is a column name but the file has no header row (set "header": true or use an index)',
            role,
            target,
          ),
      file,
      1,
      field,
    );
  }
  return index;
}

/** The largest finite float32: the model computes in float32, where anything beyond is Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

function refuseBeyondFloat32(value: number, cell: string, column: string, file: string, line: number): void {
  if (Math.abs(value) <= FLOAT32_MAX) return;
  throw new DataError(
    l10n.t(
      '{0} holds {1}, beyond the float32 range (±3.4e38) Model Lab trains in; rescale the column (e.g. change its units)',
      column,
      cell.trim(),
    ),
    file,
    line,
  );
}

/**
 * What to do about a number written with a decimal comma ("1,5"), as spreadsheets in many locales
 * save it; nothing for other cells. Decimal commas are not guessed: "1,500" may be a thousand.
 */
function decimalCommaHint(cell: string): string {
  return /^\s*[+-]?\d*,\d+\s*$/.test(cell)
    ? l10n.t(
        '; Model Lab reads decimal points, not decimal commas: save the table with "." as the decimal separator',
      )
    : '';
}

/**
 * Scales each column in place with statistics of the training rows only and
 * returns each column's scaling (identity for 'none' or an empty training
 * split), so a scaled target can be mapped back to the data's units.
 */
export function normalize(
  x: Float32Array,
  width: number,
  splits: SplitIndices,
  mode: 'standard' | 'minmax' | 'none',
): TargetScaling[] {
  const identity = Array.from({ length: width }, () => ({ shift: 0, scale: 1 }));
  if (mode === 'none' || splits.train.length === 0) return identity;
  return identity.map((_, c) => {
    let shift: number;
    let scale: number;
    const values = Array.from(splits.train, (row) => x[row * width + c]);
    if (mode === 'standard') {
      shift = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - shift) ** 2, 0) / values.length;
      scale = Math.sqrt(variance);
    } else {
      const { min, max } = extremes(values);
      shift = min;
      scale = max - min;
    }
    // A constant column carries no information; keep it at zero instead of dividing by 0.
    const divisor = scale > 0 ? scale : 1;
    for (let i = c; i < x.length; i += width) x[i] = (x[i] - shift) / divisor;
    return { shift, scale: divisor };
  });
}
