/**
 * Prepares a sweep the same way for the CLI and the editor: the experiment
 * file is read once and checked fully against its data, then every trial's
 * config is checked against its data too, and only then are the trials'
 * folders found or written (queued). A refusal throws an ExperimentError (or
 * a RunFolderError) before any trial folder exists or any trial trains.
 */
import * as l10n from '@vscode/l10n';
import { dirname } from 'node:path';
import type { LoadDatasetFacts } from '../../data/api';
import type { Experiment } from '../../contract/experiment';
import { ExperimentError, readExperimentText, validatedExperiment } from '../../experiment/experimentFile';
import { sweepRanking } from '../../experiment/sweep/sweepMetric';
import { describeValues, sweepTrials } from '../../experiment/sweep/sweepChecks';
import { formatProblems, parseExperimentText, validateExperiment } from '../../experiment/validate';
import { Locator } from '../../experiment/problems';
import type { RunInfo } from '../runFiles';
import { defaultParallel, planSweep, sweepId, type PlannedTrial } from './sweepPlan';

export interface PreparedSweep {
  experiment: Experiment;
  experimentFile: string;
  id: string;
  trials: PlannedTrial[];
  parallel: number;
  ranking: ReturnType<typeof sweepRanking>;
}

export async function prepareSweep(options: {
  experimentFile: string;
  runsDir: string;
  versions: RunInfo['versions'];
  loadData: LoadDatasetFacts;
}): Promise<PreparedSweep> {
  const { experimentFile } = options;
  const experimentDir = dirname(experimentFile);
  const text = await readExperimentText(experimentFile);
  const parsed = parseExperimentText(text);
  const experiment = await validatedExperiment(parsed, experimentFile, experimentDir, options.loadData);
  if (!experiment.sweep)
    throw new ExperimentError(
      l10n.t(
        '{0}: the experiment has no "sweep" section; add one to run a sweep, or train it once with Train.',
        experimentFile,
      ),
    );
  const trials = sweepTrials(experiment);
  // Problems of a trial against its data are placed on the sweep's parameters, where the values come from.
  const parametersRange = new Locator(text, parsed.root).rangeOf(['sweep', 'parameters']);
  for (const trial of trials) {
    const validation = await validateExperiment(
      parseExperimentText(JSON.stringify(trial.config)),
      experimentDir,
      options.loadData,
    );
    const errors = validation.problems.filter((problem) => problem.severity === 'error');
    if (errors.length === 0) continue;
    throw new ExperimentError(
      formatProblems(
        experimentFile,
        errors.map((problem) => ({
          ...problem,
          message: l10n.t(
            'trial {0} ({1}): {2}',
            trial.index + 1,
            describeValues(trial.values),
            problem.message,
          ),
          range: parametersRange,
        })),
      ),
    );
  }
  const planned = planSweep({
    runsDir: options.runsDir,
    experimentFile,
    experiment,
    trials,
    versions: options.versions,
  });
  return {
    experiment,
    experimentFile,
    id: sweepId(experiment),
    trials: planned,
    parallel: experiment.sweep.parallel ?? defaultParallel(),
    ranking: sweepRanking(experiment.sweep),
  };
}
