/**
 * What the schema cannot say about `sweep`: that each path names a setting
 * of the experiment, that every value it takes suits that setting (checked
 * by setting it and running the schema checks), that a grid lists values,
 * that the ranking metric is recorded, and finally that every trial's
 * config passes the experiment checks. Problems land on the sweep's own
 * lines, so the file is fixed where the sweep is written.
 */
import * as l10n from '@vscode/l10n';
import type { JSONPath } from 'jsonc-parser';
import type { Experiment, JsonValue, SweepParameter } from '../../contract/experiment';
import { isSplit } from '../../contract/runStatus';
import { schemaIssues, settingTypes } from '../schemaChecks';
import { expandSweep, isDistribution, MAX_TRIALS, trialCount, type SweepTrial } from './expandSweep';
import { parseSettingPath, unreachableSetting, withSetting, type SettingPath } from './settingPath';
import { parseSweepMetric } from './sweepMetric';

export interface SweepReport {
  add(path: JSONPath, message: string): void;
}

/** Settings a trial may not change: its name places its run folder, and a trial has no sweep. */
const FIXED_SETTINGS = new Set(['name', 'sweep', '$schema']);

/** Failing trials named one by one; the rest are counted. */
const TRIALS_NAMED = 3;

/**
 * Checks `experiment.sweep` (the rest of the experiment has passed its
 * checks). `trialErrors` checks one trial's config as a whole experiment and
 * returns its error messages.
 */
export function checkSweep(
  experiment: Experiment,
  report: SweepReport,
  trialErrors: (config: Experiment) => string[],
): void {
  const sweep = experiment.sweep;
  if (!sweep) return;
  const { sweep: _omitted, ...base } = experiment;
  let errors = 0;
  const add = (path: JSONPath, message: string): void => {
    errors++;
    report.add(path, message);
  };
  const names = Object.keys(sweep.parameters);
  if (names.length === 0)
    add(['sweep', 'parameters'], l10n.t('sweep.parameters is empty: name at least one setting to sweep'));
  for (const name of names) {
    const where: JSONPath = ['sweep', 'parameters', name];
    const problem = pathProblem(base, name);
    if (problem) {
      add(where, problem);
      continue;
    }
    const parameter = sweep.parameters[name];
    if (sweep.method === 'grid' && isDistribution(parameter)) {
      add(
        [...where, 'distribution'],
        l10n.t(
          'a grid tries listed values; a distribution is drawn from only in a random sweep ("method": "random"), or list the values to try',
        ),
      );
      continue;
    }
    const before = errors;
    for (const { value, at } of valuesToCheck(parameter, wholeNumberSetting(name))) {
      const issue = schemaIssues(withSetting(base, parseSettingPath(name)!, value))[0];
      if (issue) add([...where, ...at], `${name} = ${JSON.stringify(value)}: ${issue.message}`);
    }
    // One message per mistake: a range whose ends the setting refuses is not judged again as a range.
    if (isDistribution(parameter) && errors === before) errors += checkRange(parameter, name, where, report);
  }
  errors += checkMetric(experiment, report);
  if (errors > 0) return;
  const count = trialCount(sweep);
  if (count > MAX_TRIALS) {
    report.add(
      ['sweep', 'method'],
      l10n.t(
        'this sweep makes {0} trials, more than the {1} Model Lab runs in one sweep: list fewer values',
        count.toLocaleString('en-US'),
        MAX_TRIALS,
      ),
    );
    return;
  }
  reportFailingTrials(sweepTrials(experiment), report, trialErrors);
}

/** The trials of a sweep that passed its checks. */
export function sweepTrials(experiment: Experiment): SweepTrial[] {
  return expandSweep(experiment, wholeNumberSetting);
}

const wholeNumberSetting = (name: string): boolean => {
  const path = parseSettingPath(name);
  const types = path && settingTypes(path);
  return types?.length === 1 && types[0] === 'integer';
};

/** Why `name` cannot be swept, or undefined. */
function pathProblem(base: Omit<Experiment, 'sweep'>, name: string): string | undefined {
  const path = parseSettingPath(name);
  if (!path)
    return l10n.t(
      '"{0}" is not a setting path: write the fields with dots, e.g. "training.optimizer.learningRate"',
      name,
    );
  if (FIXED_SETTINGS.has(String(path[0]))) return l10n.t('"{0}" cannot be swept: every trial keeps it', name);
  if (!settingTypes(path))
    return l10n.t(
      'unknown setting "{0}": the experiment file has no such field (paths look like "training.optimizer.learningRate" or "model.layers.0.units")',
      name,
    );
  const unreachable = unreachableSetting(base, path);
  return unreachable && l10n.t('"{0}" cannot be set: {1}', name, unreachable);
}

/** The values a parameter can give a trial, with where each is written under the parameter. */
function valuesToCheck(
  parameter: SweepParameter,
  wholeNumber: boolean,
): { value: JsonValue; at: SettingPath }[] {
  if (Array.isArray(parameter)) return parameter.map((value, i) => ({ value, at: [i] }));
  if (!isDistribution(parameter)) return parameter.choice.map((value, i) => ({ value, at: ['choice', i] }));
  // A draw lies between min and max, so the ends stand for every draw (rounded for whole-number settings).
  const end = (value: number, rounded: number) => (wholeNumber ? rounded : value);
  return [
    { value: end(parameter.min, Math.ceil(parameter.min)), at: ['min'] },
    { value: end(parameter.max, Math.floor(parameter.max)), at: ['max'] },
  ];
}

function checkRange(
  parameter: Extract<SweepParameter, { distribution: string }>,
  name: string,
  where: JSONPath,
  report: SweepReport,
): number {
  const { distribution, min, max } = parameter;
  let message: string | undefined;
  let field = 'max';
  if (min > max) message = l10n.t('max ({0}) is below min ({1})', max, min);
  else if (distribution === 'log-uniform' && min <= 0) {
    field = 'min';
    message = l10n.t(
      'a log-uniform distribution needs min > 0 (got {0}); use "uniform" for ranges that reach 0',
      min,
    );
  } else if (wholeNumberSetting(name) && Math.ceil(min) > Math.floor(max))
    message = l10n.t('{0} takes whole numbers, and there is none between {1} and {2}', name, min, max);
  if (message) report.add([...where, field], message);
  return message ? 1 : 0;
}

/** The ranking metric must be one the trials record. */
function checkMetric(experiment: Experiment, report: SweepReport): number {
  const written = experiment.sweep?.metric;
  if (written === undefined) return 0;
  const metric = parseSweepMetric(written);
  let message: string | undefined;
  if (!metric || !isSplit(metric.split))
    message = l10n.t(
      'sweep.metric "{0}" is not "<split>/<name>" with split train, validation or test, nor a metric name',
      written,
    );
  else if (metric.name !== 'loss' && !(experiment.metrics ?? []).includes(metric.name as never))
    message = l10n.t(
      'sweep.metric ranks by "{0}", which is not computed: use "loss" or add it to "metrics"',
      metric.name,
    );
  if (message) report.add(['sweep', 'metric'], message);
  return message ? 1 : 0;
}

function reportFailingTrials(
  trials: SweepTrial[],
  report: SweepReport,
  trialErrors: (config: Experiment) => string[],
): void {
  const failing: string[] = [];
  for (const trial of trials) {
    const error = trialErrors(trial.config)[0];
    if (error)
      failing.push(l10n.t('trial {0} ({1}): {2}', trial.index + 1, describeValues(trial.values), error));
  }
  failing.slice(0, TRIALS_NAMED).forEach((line) => report.add(['sweep', 'parameters'], line));
  if (failing.length > TRIALS_NAMED)
    report.add(
      ['sweep', 'parameters'],
      l10n.t('… and {0} more trials fail the same checks', failing.length - TRIALS_NAMED),
    );
}

/** `training.batchSize=32, model.layers.0.units=64`: a trial's values in one line. */
export function describeValues(values: Record<string, JsonValue>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(', ');
}
