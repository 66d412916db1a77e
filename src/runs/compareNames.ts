/**
 * Short names for runs shown together (compare, legends): the run's own name
 * when it has one, else the settings that differ between the runs shown
 * (`learningRate=0.01, units=64`), else its run id. Settings are flattened,
 * compared and named as the runs table does it (src/contract/runTable/).
 */
import type { Experiment } from '../contract/experiment';
import { shortSettingNames } from '../contract/runTable/columnTitles';
import { settingOf } from '../contract/runTable/columns';
import { differingSettings } from '../contract/runTable/differingSettings';
import { flattenSettings } from '../contract/runTable/flattenSettings';

export interface NamedRun {
  id: string;
  /** A name the user gave the run (run.json `name`), if any. */
  name?: string;
  config?: Experiment;
}

/** Differing settings named in a short name; the rest is summed up as "…". */
const MAX_SETTINGS = 3;

export function shortRunNames(runs: readonly NamedRun[]): string[] {
  // Runs without a readable config (other tools' folders) cannot be told apart by settings.
  const flat = runs.map((run) => (run.config ? { settings: flattenSettings(run.config) } : undefined));
  const paths = differingSettings(flat.filter((settings) => settings !== undefined));
  const names = shortSettingNames(paths);
  return runs.map((run, i) => {
    const settings = flat[i];
    if (run.name?.trim()) return run.name.trim();
    if (runs.length < 2 || paths.length === 0 || !settings) return run.id;
    const shown = paths
      .slice(0, MAX_SETTINGS)
      .map((path) => {
        const value = settingOf(settings, path);
        return `${names.get(path)}=${value === undefined ? '—' : String(value)}`;
      })
      .join(', ');
    return paths.length > MAX_SETTINGS ? `${shown}, …` : shown;
  });
}
