/**
 * Which columns the table shows. By default: the fixed ones, the settings that differ
 * between the shown runs, the final value of every score metric and the best validation
 * scores. The user hides or adds columns on top of that default; a hidden or added column
 * stays so while the runs change. Pure, unit-tested.
 */
import { FIXED_COLUMNS, metricKeys, type ColumnKey } from '../../src/contract/runTable/columns';
import { differingSettings } from '../../src/contract/runTable/differingSettings';
import { scoreKeys } from '../../src/contract/runTable/metricColumns';
import type { RunRow } from '../../src/contract/runTable/runRow';

export interface ColumnChoice {
  hidden: readonly ColumnKey[];
  added: readonly ColumnKey[];
}

/** Every column the rows can fill: fixed, each setting, each metric's final and best value. */
export function availableColumns(rows: readonly RunRow[]): ColumnKey[] {
  const settings = new Set<string>();
  for (const row of rows) for (const path of Object.keys(row.settings)) settings.add(path);
  const metrics = metricKeys(rows);
  return [
    ...FIXED_COLUMNS,
    ...[...settings].map((path): ColumnKey => `setting:${path}`),
    ...metrics.map((key): ColumnKey => `final:${key}`),
    ...scoreKeys(metrics).map((key): ColumnKey => `best:${key}`),
  ];
}

export function defaultColumns(rows: readonly RunRow[]): ColumnKey[] {
  const scores = scoreKeys(metricKeys(rows));
  return [
    ...FIXED_COLUMNS,
    ...differingSettings(rows).map((path): ColumnKey => `setting:${path}`),
    ...scores.map((key): ColumnKey => `final:${key}`),
    ...scores.filter((key) => key.startsWith('validation/')).map((key): ColumnKey => `best:${key}`),
  ];
}

export function visibleColumns(rows: readonly RunRow[], choice: ColumnChoice): ColumnKey[] {
  const hidden = new Set(choice.hidden);
  const shown = defaultColumns(rows).filter((column) => !hidden.has(column));
  const available = new Set(availableColumns(rows));
  const extra = choice.added.filter((column) => available.has(column) && !shown.includes(column));
  return [...shown, ...extra];
}

/**
 * The choice after the user ticks (`show`) or unticks a column in the chooser. A column the
 * default shows (`isDefault`) is hidden or un-hidden; any other is added or taken away. So the
 * choice holds only departures from the default, and undoing a change leaves no trace.
 */
export function chooseColumn(
  choice: ColumnChoice,
  column: ColumnKey,
  show: boolean,
  isDefault: boolean,
): ColumnChoice {
  const without = (list: readonly ColumnKey[]): ColumnKey[] => list.filter((c) => c !== column);
  const hidden = without(choice.hidden);
  const added = without(choice.added);
  if (isDefault) return { hidden: show ? hidden : [...hidden, column], added };
  return { hidden, added: show ? [...added, column] : added };
}
