/** Column headers of the runs table: short where that stays unambiguous, the full key in the tooltip. */
import type { ColumnKey, FixedColumn } from './columns';

/** The words of the headers, in the display language (protocol/runTableColumnWords.ts). */
export interface ColumnWords {
  fixed: Record<FixedColumn, string>;
  /** The header of a metric's best value, e.g. `best validation/accuracy`. */
  best(metricKey: string): string;
}

/**
 * The shortest dotted tail of each path that no other path shares:
 * `training.optimizer.learningRate` → `learningRate`, but `model.layers.0.units` and
 * `model.layers.2.units` → `layers.0.units` and `layers.2.units` (a bare list index says nothing).
 * The table's headers and the compare panel's run names both use it.
 */
export function shortSettingNames(paths: readonly string[]): Map<string, string> {
  const parts = paths.map((path) => path.split('.'));
  const names = new Map<string, string>();
  paths.forEach((path, index) => {
    for (let take = 1; take <= parts[index].length; take++) {
      const tail = parts[index].slice(-take).join('.');
      const clashes = parts.some((other, j) => j !== index && other.slice(-take).join('.') === tail);
      if ((!clashes && !/^\d/.test(tail)) || take === parts[index].length) {
        names.set(path, tail);
        break;
      }
    }
  });
  return names;
}

/** The header of a column; `settingNames` from shortSettingNames over the shown settings. */
export function columnTitle(
  column: ColumnKey,
  settingNames: ReadonlyMap<string, string>,
  words: ColumnWords,
): string {
  if (!column.includes(':')) return words.fixed[column as FixedColumn];
  const colon = column.indexOf(':');
  const kind = column.slice(0, colon);
  const key = column.slice(colon + 1);
  if (kind === 'setting') return settingNames.get(key) ?? key;
  return kind === 'best' ? words.best(key) : key;
}
