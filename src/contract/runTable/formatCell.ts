/** How the runs table (panel and `model-lab runs`) writes a cell, so both read the same. */
import type { CellValue, ColumnKey } from './columns';

/** A metric or setting number: whole numbers as they are, others to 3 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(1);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}

/** How dates and durations read in the display language (protocol/timeText.ts `timeWords`). */
export interface TimeWords {
  duration(seconds: number): string;
  /** An ISO date and time, in the reader's time zone, as short as a cell can read it. */
  dateTime(iso: string): string;
  /** The same with nothing left out (the year too): the cell's hover text. */
  fullDateTime(iso: string): string;
}

export function formatCell(column: ColumnKey, value: CellValue, time: TimeWords): string {
  if (value === undefined || value === null) return '';
  if (column === 'start' && typeof value === 'string') return time.dateTime(value);
  if (column === 'duration' && typeof value === 'number') return time.duration(value);
  // A setting reads as the user wrote it (0.001, not 0.00100).
  if (column.startsWith('setting:')) return String(value);
  return typeof value === 'number' ? formatNumber(value) : String(value);
}
