import { cellValue, type CellValue, type ColumnKey } from './columns';
import type { RunRow } from './runRow';

export interface RowSort {
  column: ColumnKey;
  descending: boolean;
}

/** Newest first: what the table shows before the user picks a column. */
export const DEFAULT_SORT: RowSort = { column: 'start', descending: true };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type PresentValue = Exclude<CellValue, undefined>;

/** Numbers by value, text in natural order (`run-2` before `run-10`), numbers before text. */
function compareValues(a: PresentValue, b: PresentValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return collator.compare(String(a), String(b));
}

/**
 * A sorted copy. Rows without a value in the column come last in either direction (an
 * unfinished run has no best accuracy; it should not top a descending sort); ties keep
 * the order they came in.
 */
export function sortRows(rows: readonly RunRow[], sort: RowSort): RunRow[] {
  const keyed = rows.map((row, index) => ({ row, index, value: cellValue(row, sort.column) }));
  const sign = sort.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      if (a.value === b.value) return a.index - b.index;
      return a.value === undefined ? 1 : -1;
    }
    return sign * compareValues(a.value, b.value) || a.index - b.index;
  });
  return keyed.map(({ row }) => row);
}
