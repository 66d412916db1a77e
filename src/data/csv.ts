/**
 * A small CSV reader (RFC 4180 quoting: "a,b" and "" for a quote) that keeps
 * each record's 1-based line number, so errors point at the row to fix. Tables
 * saved elsewhere use other separators (Excel in many locales writes `;`,
 * `.tsv` files use tabs), so a table's separator is found from its first line.
 */
import * as l10n from '@vscode/l10n';
import { DataError } from './dataError';

/** The separators a table may use; a tie goes to the first (comma). */
const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Files read as tables: `.csv`, and `.tsv` (always tab-separated). */
export const TABLE_EXTENSIONS = ['.csv', '.tsv'];

export function isTableFile(path: string): boolean {
  const name = path.toLowerCase();
  return TABLE_EXTENSIONS.some((extension) => name.endsWith(extension));
}

/**
 * A table's separator: tab for a `.tsv` file, else whichever of comma, semicolon and tab is most
 * frequent outside quotes on the first line (the header, when there is one), comma on a tie.
 * Decimal commas are never guessed: in a semicolon file "1,5" stays text, and the loader says so.
 */
export function tableDelimiter(text: string, file: string): Delimiter {
  if (file.toLowerCase().endsWith('.tsv')) return '\t';
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return DELIMITERS.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best));
}

export interface CsvRecord {
  line: number;
  cells: string[];
}

export function parseCsv(text: string, file: string, delimiter: Delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = (): void => {
    cells.push(cell);
    // Blank lines (e.g. a trailing newline) are not records.
    if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += char;
  }
  if (quoted) throw new DataError(l10n.t('a quoted cell is never closed'), file, recordLine);
  endRecord();
  return records;
}

export function parseNumber(cell: string): number | undefined {
  const trimmed = cell.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Numeric labels in numeric order (2 before 10), others alphabetically. */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((label) => parseNumber(label) !== undefined);
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}
