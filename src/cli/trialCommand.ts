/**
 * `model-lab trial <run folder>` (hidden: `model-lab sweep` starts it): trains
 * one sweep trial whose folder the sweep has readied, in a process of its
 * own so trials train side by side. The trial's config is its run.json's,
 * validated by the sweep before any trial started.
 */
import * as l10n from '@vscode/l10n';
import { RunFolderError } from '../runs/runFolderError';
import { RUN_FILES } from '../runs/runFiles';
import { readRunInfo } from '../runs/runReader';
import { RunWriter } from '../runs/runWriter';
import type { DeviceName } from '../contract/devices';
import { stepPaceFrom } from '../trainer/stepPacing';
import { createTrainerDeps } from '../trainer/trainerModules';
import { EXIT, trainInTerminal } from './trainCommand';

export interface TrialCommandOptions {
  device?: DeviceName;
  maxSteps?: number;
  /** Continue from the folder's own last checkpoint. */
  resume?: boolean;
}

export async function trialCommand(runDir: string, options: TrialCommandOptions): Promise<number> {
  const info = readRunInfo(runDir);
  if (!info?.sweep) {
    console.error(
      new RunFolderError(l10n.t('{0} has no readable {1} of a sweep trial.', runDir, RUN_FILES.info), runDir)
        .message,
    );
    return EXIT.invalid;
  }
  const writer = RunWriter.open(runDir, info);
  writer.updateInfo({ pid: process.pid });
  return trainInTerminal(
    {
      experiment: info.config,
      experimentFile: info.experimentFile,
      writer,
      resumeFrom: options.resume ? runDir : undefined,
    },
    options,
    createTrainerDeps(),
    // The tests' step pace, as in the editor's training process: a trial lasts long enough to be stopped.
    stepPaceFrom(process.env),
  );
}
