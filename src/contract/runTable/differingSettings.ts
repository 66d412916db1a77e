import { settingOf } from './columns';
import type { RunRow } from './runRow';

/**
 * The setting paths whose values are not the same in every row, in order of first
 * appearance. A setting one run has and another lacks differs too. With fewer than two
 * rows nothing differs. Rows of the table, or any runs' flattened settings (compare's names).
 */
export function differingSettings(rows: readonly Pick<RunRow, 'settings'>[]): string[] {
  if (rows.length < 2) return [];
  const paths = new Set<string>();
  for (const row of rows) for (const path of Object.keys(row.settings)) paths.add(path);
  return [...paths].filter((path) => {
    const first = settingOf(rows[0], path);
    return rows.some((row) => settingOf(row, path) !== first);
  });
}
