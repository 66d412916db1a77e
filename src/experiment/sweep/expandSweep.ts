/**
 * A sweep's trials, computed from the experiment alone: the grid's product of
 * value lists, or `trials` seeded random draws. Pure and deterministic: the
 * same file gives the same trials on every machine, which is what lets a
 * stopped sweep resume with the trials it planned.
 */
import * as l10n from '@vscode/l10n';
import { createRng, type Rng } from '../../data/rng';
import type {
  Experiment,
  JsonValue,
  SweepDistribution,
  SweepParameter,
  SweepSection,
} from '../../contract/experiment';
import { parseSettingPath, withSetting } from './settingPath';

export interface SweepTrial {
  /** 0-based, in the order the trials run. */
  index: number;
  /** Swept setting → this trial's value, in the order of `sweep.parameters`. */
  values: Record<string, JsonValue>;
  /** The experiment with these values set and without `sweep`: an ordinary run's config. */
  config: Experiment;
}

/** More trials than this are refused: a sweep that size is a mistake in the grid, not a plan. */
export const MAX_TRIALS = 1000;

/** Drawn numbers keep this many significant digits, so they read well in tables and legends. */
const DRAWN_DIGITS = 4;

export const isDistribution = (parameter: SweepParameter): parameter is SweepDistribution =>
  !Array.isArray(parameter) && 'distribution' in parameter;

/** The listed values of a parameter (a list or a choice); undefined for a distribution. */
export function listedValues(parameter: SweepParameter): JsonValue[] | undefined {
  if (Array.isArray(parameter)) return parameter;
  return isDistribution(parameter) ? undefined : parameter.choice;
}

/** How many trials the sweep makes (a grid's product can be huge: computed without expanding). */
export function trialCount(sweep: SweepSection): number {
  if (sweep.method === 'random') return sweep.trials ?? 0;
  return Object.values(sweep.parameters).reduce(
    (count, parameter) => count * (listedValues(parameter)?.length ?? 0),
    1,
  );
}

/**
 * Every trial of `experiment.sweep`. `wholeNumber(path)` says whether a
 * setting takes whole numbers (then drawn values are rounded). The sweep must
 * have passed its checks (sweepChecks.ts): known paths, lists for a grid.
 */
export function expandSweep(experiment: Experiment, wholeNumber: (path: string) => boolean): SweepTrial[] {
  const { sweep, ...base } = experiment;
  if (!sweep) return [];
  const names = Object.keys(sweep.parameters);
  const combinations =
    sweep.method === 'grid'
      ? gridCombinations(names.map((name) => gridValues(name, sweep.parameters[name])))
      : randomCombinations(sweep, names, wholeNumber, createRng(sweep.seed ?? experiment.training.seed));
  return combinations.map((combination, index) => {
    const values: Record<string, JsonValue> = {};
    let config = base as Experiment;
    names.forEach((name, i) => {
      values[name] = combination[i];
      config = withSetting(config, parseSettingPath(name)!, combination[i]);
    });
    return { index, values, config };
  });
}

function gridValues(name: string, parameter: SweepParameter): JsonValue[] {
  const values = listedValues(parameter);
  if (!values)
    throw new Error(l10n.t('sweep parameter "{0}": a grid takes lists of values, not distributions', name));
  return values;
}

/** The product of the lists, the first list varying slowest (like nested loops in parameter order). */
function gridCombinations(lists: JsonValue[][]): JsonValue[][] {
  return lists.reduce<JsonValue[][]>(
    (combinations, list) => combinations.flatMap((prefix) => list.map((value) => [...prefix, value])),
    [[]],
  );
}

function randomCombinations(
  sweep: SweepSection,
  names: string[],
  wholeNumber: (path: string) => boolean,
  rng: Rng,
): JsonValue[][] {
  return Array.from({ length: sweep.trials ?? 0 }, () =>
    names.map((name) => draw(sweep.parameters[name], wholeNumber(name), rng)),
  );
}

/** One value: a uniform pick from a list, or a number from the distribution. */
export function draw(parameter: SweepParameter, wholeNumber: boolean, rng: Rng): JsonValue {
  const values = listedValues(parameter);
  if (values) return values[rng.int(values.length)];
  const { distribution, min, max } = parameter as SweepDistribution;
  const u = rng.next();
  const value =
    distribution === 'log-uniform'
      ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
      : min + u * (max - min);
  if (wholeNumber) return Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(value)));
  // Rounding must not leave the range the user gave.
  return Math.min(max, Math.max(min, Number(value.toPrecision(DRAWN_DIGITS))));
}
