/**
 * The columns of the runs table, named by one key each so the panel, the CLI and the
 * sort agree: fixed ones (`name`, `status`…), a setting (`setting:training.batchSize`),
 * a metric's final or best value (`final:validation/accuracy`, `best:validation/loss`).
 */
import { isSplit, SPLITS } from '../runStatus';
import type { RunRow, SettingValue } from './runRow';

export const FIXED_COLUMNS = ['name', 'experiment', 'status', 'start', 'duration', 'device', 'tags'] as const;
export type FixedColumn = (typeof FIXED_COLUMNS)[number];
export type ColumnKey = FixedColumn | `setting:${string}` | `final:${string}` | `best:${string}`;

/** What a cell holds: undefined where the run has no such value (shown empty, sorted last). */
export type CellValue = SettingValue | undefined;

export function isColumnKey(value: unknown): value is ColumnKey {
  if (typeof value !== 'string') return false;
  if ((FIXED_COLUMNS as readonly string[]).includes(value)) return true;
  return /^(setting|final|best):./.test(value);
}

/** A row's value of one setting; undefined when its experiment has no such setting. */
export function settingOf(row: Pick<RunRow, 'settings'>, path: string): SettingValue | undefined {
  return Object.hasOwn(row.settings, path) ? row.settings[path] : undefined;
}

function metricOf(values: Record<string, number>, key: string): number | undefined {
  return Object.hasOwn(values, key) ? values[key] : undefined;
}

export function cellValue(row: RunRow, column: ColumnKey): CellValue {
  switch (column) {
    case 'name':
      return row.name;
    case 'experiment':
      return row.experiment;
    case 'status':
      return row.status;
    case 'start':
      return row.startedAt;
    case 'duration':
      return row.duration;
    case 'device':
      return row.device;
    case 'tags':
      return row.tags.length > 0 ? row.tags.join(', ') : undefined;
  }
  const colon = column.indexOf(':');
  const kind = column.slice(0, colon);
  const key = column.slice(colon + 1);
  if (kind === 'setting') return settingOf(row, key);
  return metricOf(kind === 'final' ? row.final : row.best, key);
}

/** Every metric key any row has, train before validation before test, then by name. */
export function metricKeys(rows: readonly RunRow[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.final)) keys.add(key);
  const splitRank = (key: string): number => {
    const split = key.slice(0, key.indexOf('/'));
    return isSplit(split) ? SPLITS.indexOf(split) : SPLITS.length;
  };
  return [...keys].sort((a, b) => splitRank(a) - splitRank(b) || a.localeCompare(b));
}
