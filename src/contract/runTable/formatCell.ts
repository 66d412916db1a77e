/** How the runs table (panel and `model-lab runs`) writes a cell, so both read the same. */
import type { CellValue, ColumnKey } from './columns';

/** A metric or setting number: whole numbers as they are, others to 3 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(1);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}

/** "45s", "12m 05s", "3h 02m". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (total < 3600) return `${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  return `${Math.floor(total / 3600)}h ${pad(Math.floor((total % 3600) / 60))}m`;
}

/** "2026-12-01 10:00" in the reader's time zone. */
export function formatStart(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatCell(column: ColumnKey, value: CellValue): string {
  if (value === undefined || value === null) return '';
  if (column === 'start' && typeof value === 'string') return formatStart(value);
  if (column === 'duration' && typeof value === 'number') return formatDuration(value);
  // A setting reads as the user wrote it (0.001, not 0.00100).
  if (column.startsWith('setting:')) return String(value);
  return typeof value === 'number' ? formatNumber(value) : String(value);
}
