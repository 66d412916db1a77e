/**
 * `model-lab train <experiment file>`: the same training loop and run folder
 * as the editor, in-process, with a terminal progress bar. Ctrl-C asks for a
 * cooperative stop (the run saves its checkpoint); a second Ctrl-C quits.
 */
import { resolve } from 'node:path';
import type { DeviceName } from '../experiment/types';
import { readCheckpointPosition } from '../runs/checkpoints';
import { RunFolderError } from '../runs/runFolderError';
import { RunRecorder } from '../runs/runRecorder';
import { RunWriter } from '../runs/runWriter';
import { currentVersions } from '../runs/versions';
import { readExperimentFile } from '../trainer/experimentFile';
import { runTraining } from '../trainer/trainer';
import { createTrainerDeps } from '../trainer/trainerModules';
import { ProgressDisplay } from './progressDisplay';

export interface TrainCommandOptions {
  runsDir: string;
  device?: DeviceName;
  maxSteps?: number;
  resume?: string;
}

/** Exit codes: 0 completed, 1 failed, 2 the experiment or a flag is invalid (nothing ran), 130 stopped by Ctrl-C. */
export const EXIT = { completed: 0, failed: 1, invalid: 2, stopped: 130 } as const;

export async function trainCommand(experimentArg: string, options: TrainCommandOptions): Promise<number> {
  const experimentFile = resolve(experimentArg);
  let experiment;
  try {
    experiment = await readExperimentFile(experimentFile);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return EXIT.invalid;
  }
  const resumeFrom = options.resume ? resolve(options.resume) : undefined;
  const resumedStep = resumeFrom ? readCheckpointPosition(resumeFrom, 'last')?.step : undefined;
  if (resumeFrom && resumedStep === undefined) {
    console.error(`Cannot resume ${resumeFrom}: it has no saved checkpoint (checkpoints/last).`);
    return EXIT.invalid;
  }
  let recorder: RunRecorder;
  try {
    const writer = RunWriter.create({
      runsDir: resolve(options.runsDir),
      info: {
        experiment: experiment.name,
        experimentFile,
        config: experiment,
        seed: experiment.training.seed,
        versions: currentVersions(),
        resumedFrom: resumeFrom,
        pid: process.pid,
      },
      continueMetricsOf:
        resumeFrom && resumedStep !== undefined ? { runDir: resumeFrom, upToStep: resumedStep } : undefined,
    });
    recorder = new RunRecorder(writer);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return EXIT.failed;
  }
  const display = new ProgressDisplay();
  display.print(`Run folder: ${recorder.writer.dir}`);
  let stopRequested = false;
  const onInterrupt = (): void => {
    if (stopRequested) process.exit(EXIT.stopped);
    stopRequested = true;
    display.print('Stopping after the current step (Ctrl-C again to quit at once)…');
  };
  process.on('SIGINT', onInterrupt);
  let writeError: RunFolderError | undefined;
  const outcome = await runTraining(
    {
      type: 'start',
      experimentFile,
      runDir: recorder.writer.dir,
      device: options.device ?? experiment.training.device ?? 'auto',
      resumeFrom,
      maxSteps: options.maxSteps,
    },
    createTrainerDeps(),
    {
      emit: (event) => {
        display.show(event);
        if (writeError) return;
        try {
          recorder.handle(event);
        } catch (error) {
          // The run folder stopped accepting writes: stop training, report where.
          writeError =
            error instanceof RunFolderError ? error : new RunFolderError(String(error), recorder.writer.dir);
          stopRequested = true;
        }
      },
      stopRequested: () => stopRequested,
    },
  );
  process.off('SIGINT', onInterrupt);
  if (writeError) {
    console.error(writeError.message);
    return EXIT.failed;
  }
  if (outcome.type === 'failed') {
    console.error(outcome.error);
    return EXIT.failed;
  }
  console.error(`${outcome.reason}\nRun folder: ${recorder.writer.dir}`);
  return outcome.status === 'completed' ? EXIT.completed : EXIT.stopped;
}
