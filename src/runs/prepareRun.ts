/**
 * Prepares one run, the same way for the CLI and the editor's RunManager:
 * read the experiment once (or, when resuming, take the resumed run's saved
 * config), validate it fully against its data once, and only then claim the
 * run folder and write run.json with exactly the config that will train. A
 * refusal (bad file, bad data, no checkpoint to resume) throws an
 * ExperimentError before any folder exists.
 */
import * as l10n from '@vscode/l10n';
import { dirname, join } from 'node:path';
import type { LoadDatasetFacts } from '../data/api';
import type { Experiment } from '../contract/experiment';
import { parseExperimentText } from '../experiment/validate';
import { resumePosition } from './checkpoints';
import { RUN_FILES, type RunInfo } from './runFiles';
import { readRunInfo } from './runReader';
import { RunWriter } from './runWriter';
import { ExperimentError, readExperimentText, validatedExperiment } from '../experiment/experimentFile';

export interface PrepareRunOptions {
  /** Absolute path of the experiment file; data paths resolve against its folder. */
  experimentFile: string;
  /** `<workspace>/.modellab/runs`. */
  runsDir: string;
  /** A run folder to continue from its last checkpoint, with that run's saved config. */
  resumeFrom?: string;
  versions: RunInfo['versions'];
  loadData: LoadDatasetFacts;
  /**
   * Facts to check against before `loadData`, where they come cheaper (an image folder listed, not
   * decoded: `factsBeforeDecoding`), so a wrong model is refused before the data is read in full.
   */
  checkFirstWith?: LoadDatasetFacts;
  /** A last refusal once the experiment is known, before the folder is claimed (one run per experiment). */
  beforeClaim?(experiment: Experiment): void;
  /** The process that will train, when it is this one (the CLI). */
  pid?: number;
}

export interface PreparedRun {
  experiment: Experiment;
  experimentFile: string;
  /** The claimed run folder; run.json says running. */
  writer: RunWriter;
  resumeFrom?: string;
}

export async function prepareRun(options: PrepareRunOptions): Promise<PreparedRun> {
  const { experimentFile, resumeFrom } = options;
  const experimentDir = dirname(experimentFile);
  const resumed = resumeFrom ? resumePoint(resumeFrom) : undefined;
  const [parsed, label] = resumed
    ? [
        parseExperimentText(JSON.stringify(resumed.config, null, 2)),
        `${join(resumeFrom!, RUN_FILES.info)} (saved config)`,
      ]
    : [parseExperimentText(await readExperimentText(experimentFile)), experimentFile];
  if (options.checkFirstWith) await validatedExperiment(parsed, label, experimentDir, options.checkFirstWith);
  const experiment = await validatedExperiment(parsed, label, experimentDir, options.loadData);
  options.beforeClaim?.(experiment);
  const writer = RunWriter.create({
    runsDir: options.runsDir,
    info: {
      experiment: experiment.name,
      experimentFile,
      config: experiment,
      seed: experiment.training.seed,
      versions: options.versions,
      resumedFrom: resumeFrom,
      pid: options.pid,
    },
    continueMetricsOf: resumed && { runDir: resumeFrom!, upToStep: resumed.step },
  });
  return { experiment, experimentFile, writer, resumeFrom };
}

/** The config and checkpoint step a resume continues from; refuses a run that cannot be resumed. */
function resumePoint(runDir: string): { config: Experiment; step: number } {
  // The checkpoint first, read in full: a missing folder, no checkpoint, or a damaged or NaN one is named as such.
  const { step } = resumePosition(runDir);
  const info = readRunInfo(runDir);
  if (!info)
    throw new ExperimentError(l10n.t('Cannot resume {0}: it has no readable {1}.', runDir, RUN_FILES.info));
  return { config: info.config, step };
}
