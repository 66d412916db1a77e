/**
 * A small CSV reader (RFC 4180 quoting: "a,b" and "" for a quote) that keeps
 * each record's 1-based line number, so errors point at the row to fix.
 */
import * as l10n from '@vscode/l10n';
import { DataError } from './dataError';

export interface CsvRecord {
  line: number;
  cells: string[];
}

export function parseCsv(text: string, file: string): CsvRecord[] {
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
    else if (char === ',') {
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
