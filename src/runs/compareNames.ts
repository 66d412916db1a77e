/**
 * Short names for runs shown together (compare, legends): the run's own name
 * when it has one, else the settings that differ between the runs shown
 * (`learningRate=0.01, units=64`), else its run id. Each setting is named by
 * the shortest tail of its path that tells it apart from the others.
 */
import type { Experiment } from '../contract/experiment';

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
  const flat = runs.map((run) => run.config && flatten(run.config));
  const known = flat.filter((settings) => settings !== undefined);
  const paths = [...new Set(known.flatMap((settings) => [...settings.keys()]))].filter((path) =>
    known.some((settings) => settings.get(path) !== known[0].get(path)),
  );
  const names = shortestTails(paths);
  return runs.map((run, i) => {
    const settings = flat[i];
    if (run.name?.trim()) return run.name.trim();
    if (runs.length < 2 || paths.length === 0 || !settings) return run.id;
    const shown = paths
      .slice(0, MAX_SETTINGS)
      .map((path) => `${names.get(path)}=${settings.get(path) ?? '—'}`)
      .join(', ');
    return paths.length > MAX_SETTINGS ? `${shown}, …` : shown;
  });
}

/** Top-level fields that name or describe the experiment rather than set it up. */
const NOT_SETTINGS = new Set(['$schema', 'name', 'description', 'sweep']);

/** Every leaf setting as `path → value text` (`training.optimizer.learningRate → 0.01`). */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value))
      if (path !== '' || !NOT_SETTINGS.has(key)) flatten(child, path ? `${path}.${key}` : key, into);
  } else {
    into.set(path, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return into;
}

/** `training.optimizer.learningRate` → `learningRate`, longer where two paths would share a tail. */
function shortestTails(paths: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const path of paths) {
    const segments = path.split('.');
    for (let length = 1; length <= segments.length; length++) {
      const tail = segments.slice(-length).join('.');
      const clash = paths.some((other) => other !== path && (other === tail || other.endsWith(`.${tail}`)));
      // A bare list index says nothing: `layers.6.units` rather than `6.units`.
      if (!clash && !/^\d/.test(tail)) {
        names.set(path, tail);
        break;
      }
    }
    if (!names.has(path)) names.set(path, path);
  }
  return names;
}
