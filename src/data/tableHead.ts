/**
 * The start of a table file without reading all of it: its header cells and first row, for the
 * choices made before a table is loaded ("Evaluate on data…": which column is the target, and
 * whether the features are token ids or texts for the model's tokenizer).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isTableFile, parseCsv, parseNumber, tableDelimiter, type CsvRecord } from './csv';

export interface TableHead {
  /** The first line's cells (the header). */
  columns: string[];
  /** The second line's cells; empty when the file has no row after its header. */
  firstRow: string[];
}

const HEAD_BYTES = 65_536;

/** The header and first row of a .csv or .tsv file; undefined for other sources. */
export function readTableHead(path: string): TableHead | undefined {
  if (!isTableFile(path) || !statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  const head = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = head.subarray(0, length).toString('utf8');
  // Whole lines only: the last one may be cut at the buffer's end.
  const lines = text.split(/\r?\n/);
  const whole = length < HEAD_BYTES ? lines : lines.slice(0, -1);
  const firstLine = whole[0] ?? '';
  const delimiter = tableDelimiter(firstLine, path);
  let records: CsvRecord[];
  try {
    // A quoted text may span lines: the whole lines read, parsed together.
    records = parseCsv(whole.join('\n'), path, delimiter);
  } catch {
    // A quoted text cut at the buffer's end: the header alone.
    records = parseCsv(firstLine, path, delimiter);
  }
  return {
    columns: records[0]?.cells.map((c) => c.trim()) ?? [],
    firstRow: records[1]?.cells ?? [],
  };
}

/**
 * A CSV's `label` column when it has one, else its last column. A model that reads columns by name
 * (`read`, its input encoding) reads neither: the target is then the last of the others.
 */
export function evaluationTarget(columns: string[], read: string[] = []): string | number {
  if (columns.includes('label') && !read.includes('label')) return 'label';
  const others = columns.map((name, at) => ({ name, at })).filter(({ name }) => !read.includes(name));
  return others.at(-1)?.at ?? Math.max(0, columns.length - 1);
}

/**
 * The feature columns of the table's first row that hold text rather than numbers (a model with
 * a tokenizer then reads them as texts, one column or a pair); empty for a table of numbers.
 */
export function textColumns({ columns, firstRow }: TableHead): string[] {
  const target = evaluationTarget(columns);
  const isText = (cell: string | undefined) =>
    cell !== undefined && cell.trim() !== '' && parseNumber(cell) === undefined;
  return columns.filter((name, i) => name !== target && i !== target && isText(firstRow[i]));
}
