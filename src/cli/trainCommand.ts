/**
 * `model-lab train <experiment file>`: the same training loop and run folder
 * as the editor, in-process, with a terminal progress bar. Ctrl-C asks for a
 * cooperative stop (the run saves its checkpoint); a second Ctrl-C quits.
 */
import * as l10n from '@vscode/l10n';
import { resolve } from 'node:path';
import type { DeviceName } from '../contract/devices';
import { factsBeforeDecoding } from '../data/loadDataset';
import type { StartTraining } from '../protocol/training';
import { RunRecorder } from '../runs/runRecorder';
import { currentVersions } from '../runs/versions';
import { prepareRun, type PreparedRun } from '../runs/prepareRun';
import { trainRecorded } from '../trainer/recordedTraining';
import { readingEvents } from '../trainer/readingProgress';
import { describeError } from '../trainer/trainer';
import { createTrainerDeps } from '../trainer/trainerModules';
import type { TrainerDeps } from '../trainer/trainerDeps';
import type { StepPace } from '../trainer/stepPacing';
import { ProgressDisplay } from './progressDisplay';
import { readingLines } from './readingLines';

export interface TrainCommandOptions {
  runsDir: string;
  device?: DeviceName;
  maxSteps?: number;
  resume?: string;
}

/**
 * Exit codes: 0 completed, 1 failed while training, 2 refused before training
 * (the experiment, its data, a flag, the resumed run or the runs folder is at
 * fault; no run folder is left), 130 stopped by Ctrl-C.
 */
export const EXIT = { completed: 0, failed: 1, invalid: 2, stopped: 130 } as const;

export async function trainCommand(experimentArg: string, options: TrainCommandOptions): Promise<number> {
  const deps = createTrainerDeps();
  // The checks load the data the run then trains on (one load, cached): an image folder's decoding
  // is reported from here, where it happens, after the checks its listing allows (a wrong model is
  // refused before any image is decoded).
  const reading = readingLines((line) => process.stderr.write(`${line}\n`));
  let prepared: PreparedRun;
  try {
    prepared = await prepareRun({
      experimentFile: resolve(experimentArg),
      runsDir: resolve(options.runsDir),
      resumeFrom: options.resume ? resolve(options.resume) : undefined,
      versions: currentVersions(),
      loadData: (experiment, dir) => deps.loadDataset(experiment, dir, { reading: readingEvents(reading) }),
      checkFirstWith: (experiment, dir) => factsBeforeDecoding(experiment, dir, deps.loadDataset),
      pid: process.pid,
    });
  } catch (error) {
    // Refused before anything ran, and no run folder was left: the experiment, its data, the run to
    // resume or the runs folder (read-only, a file in the way) needs the user's fix.
    console.error(describeError(error));
    return EXIT.invalid;
  }
  // A run of its own on the machine: its threads keep their cores (a sweep's trials share them).
  return trainInTerminal(prepared, { ...options, spinWait: true }, deps);
}

/**
 * Trains a prepared run folder in this process with the terminal's progress
 * bar; Ctrl-C asks for a cooperative stop, a second one quits at once.
 * Returns the exit code.
 */
export async function trainInTerminal(
  prepared: PreparedRun,
  options: Pick<TrainCommandOptions, 'device' | 'maxSteps'> & Pick<StartTraining, 'spinWait'>,
  deps: TrainerDeps,
  paceSteps?: StepPace,
): Promise<number> {
  const { experiment, experimentFile, resumeFrom } = prepared;
  const recorder = new RunRecorder(prepared.writer);
  const display = new ProgressDisplay();
  display.print(l10n.t('Run folder: {0}', recorder.writer.dir));
  let stopRequested = false;
  const onInterrupt = (): void => {
    if (stopRequested) process.exit(EXIT.stopped);
    stopRequested = true;
    display.print(l10n.t('Stopping after the current step (Ctrl-C again to quit at once)…'));
  };
  process.on('SIGINT', onInterrupt);
  const outcome = await trainRecorded(
    {
      type: 'start',
      experimentFile,
      experiment,
      runDir: recorder.writer.dir,
      device: options.device ?? experiment.training.device ?? 'auto',
      resumeFrom,
      maxSteps: options.maxSteps,
      spinWait: options.spinWait,
    },
    deps,
    recorder,
    { forward: (event) => display.show(event), stopRequested: () => stopRequested, paceSteps },
  );
  process.off('SIGINT', onInterrupt);
  if (outcome.type === 'failed') {
    console.error(outcome.error);
    return EXIT.failed;
  }
  console.error(`${outcome.reason}\n${l10n.t('Run folder: {0}', recorder.writer.dir)}`);
  return outcome.status === 'completed' ? EXIT.completed : EXIT.stopped;
}
