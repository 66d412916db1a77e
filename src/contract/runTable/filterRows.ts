import { settingOf } from './columns';
import type { RunRow } from './runRow';

export interface RowFilter {
  /**
   * Words that must all appear (ignoring case) in the run's name, id, experiment, status,
   * device, tags, notes or settings; a setting reads as `path=value`, so
   * `learningRate=0.001` finds the runs with that learning rate.
   */
  query: string;
  /** Statuses to keep; empty keeps every status. */
  statuses: readonly string[];
  /** Experiments to keep; empty keeps every experiment. */
  experiments: readonly string[];
}

export const NO_FILTER: RowFilter = { query: '', statuses: [], experiments: [] };

/** Each row's searchable text, built once per row object (the table filters on every key press). */
const searchText = new WeakMap<RunRow, string>();

function textOf(row: RunRow): string {
  let text = searchText.get(row);
  if (text === undefined) {
    const settings = Object.keys(row.settings).map((path) => `${path}=${String(settingOf(row, path))}`);
    text = [
      row.name,
      row.id,
      row.experiment,
      row.status,
      row.device ?? '',
      ...row.tags,
      row.notes,
      ...settings,
    ]
      .join('\n')
      .toLowerCase();
    searchText.set(row, text);
  }
  return text;
}

export function filterRows(rows: readonly RunRow[], filter: RowFilter): RunRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const statuses = new Set(filter.statuses);
  const experiments = new Set(filter.experiments);
  return rows.filter(
    (row) =>
      (statuses.size === 0 || statuses.has(row.status)) &&
      (experiments.size === 0 || experiments.has(row.experiment)) &&
      words.every((word) => textOf(row).includes(word)),
  );
}
