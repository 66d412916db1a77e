/**
 * `model-lab sweep <experiment>`: every trial of the experiment's sweep, each
 * an ordinary run folder trained by its own `model-lab trial` process,
 * `parallel` at a time, then the trials ranked by the sweep's metric. Ctrl-C
 * stops the sweep: training trials stop after their current step with a
 * checkpoint, queued ones stay queued, and running the command again
 * continues where it stopped.
 */
import * as l10n from '@vscode/l10n';
import { statusText } from '../protocol/runStatusText';
import { spawn } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DeviceName } from '../contract/devices';
import type { RunStatus } from '../contract/runStatus';
import { describeValues } from '../experiment/sweep/sweepChecks';
import { readRunInfo } from '../runs/runReader';
import { RunRecorder } from '../runs/runRecorder';
import { prepareSweep, type PreparedSweep } from '../runs/sweep/prepareSweep';
import { rankingLines } from '../runs/sweep/sweepRanking';
import { readyTrial, type PlannedTrial } from '../runs/sweep/sweepPlan';
import { SweepScheduler, type LaunchedTrial } from '../runs/sweep/sweepScheduler';
import { currentVersions } from '../runs/versions';
import { describeError } from '../trainer/trainer';
import { createTrainerDeps } from '../trainer/trainerModules';
import { EXIT } from './trainCommand';

export interface SweepCommandOptions {
  runsDir: string;
  device?: DeviceName;
  maxSteps?: number;
}

/** Exit codes: 0 every trial completed, 1 a trial failed, 2 refused before any trial trained, 130 stopped. */
export async function sweepCommand(experimentArg: string, options: SweepCommandOptions): Promise<number> {
  let sweep: PreparedSweep;
  try {
    sweep = await prepareSweep({
      experimentFile: resolve(experimentArg),
      runsDir: resolve(options.runsDir),
      versions: currentVersions(),
      loadData: createTrainerDeps().loadDataset,
    });
  } catch (error) {
    console.error(describeError(error));
    return EXIT.invalid;
  }
  const total = sweep.trials.length;
  const pending = sweep.trials.filter((trial) => trial.action !== 'keep');
  const label = (planned: PlannedTrial): string => l10n.t('trial {0}/{1}', planned.trial.index + 1, total);
  const finished = total - pending.length;
  const parallel = Math.min(sweep.parallel, pending.length);
  console.log(
    pending.length === 0
      ? l10n.t('Sweep {0} of {1}: {2} trials, all finished before.', sweep.id, sweep.experiment.name, total)
      : finished > 0
        ? l10n.t(
            'Sweep {0} of {1}: {2} trials, {3} finished before; {4} at a time.',
            sweep.id,
            sweep.experiment.name,
            total,
            finished,
            parallel,
          )
        : l10n.t(
            'Sweep {0} of {1}: {2} trials; {3} at a time.',
            sweep.id,
            sweep.experiment.name,
            total,
            parallel,
          ),
  );
  const scheduler = new SweepScheduler(pending, sweep.parallel, async (planned) => {
    const launched = launchTrial(planned, options);
    const values = describeValues(planned.trial.values);
    console.log(
      planned.action === 'continue'
        ? l10n.t('{0} continues ({1}): {2}', label(planned), values, planned.dir)
        : l10n.t('{0} started ({1}): {2}', label(planned), values, planned.dir),
    );
    return launched;
  });
  let interrupts = 0;
  const onInterrupt = (): void => {
    if (++interrupts > 1) process.exit(EXIT.stopped);
    console.log(
      l10n.t(
        'Stopping the sweep: training trials stop after their current step, queued ones stay queued (Ctrl-C again to quit at once).',
      ),
    );
    scheduler.cancel();
  };
  process.on('SIGINT', onInterrupt);
  const outcomes = await scheduler.run(({ item, status }) =>
    console.log(l10n.t('{0} {1}.', label(item), statusText(status))),
  );
  process.off('SIGINT', onInterrupt);
  for (const line of rankingLines(sweep, shortPath)) console.log(line);
  if (scheduler.isCancelled) {
    console.log(l10n.t('Sweep stopped; run the same command again to continue it.'));
    return EXIT.stopped;
  }
  return outcomes.some((outcome) => outcome.status !== 'completed') ? EXIT.failed : EXIT.completed;
}

/** Starts `model-lab trial <folder>` for one readied trial, in its own process group (Ctrl-C reaches the sweep only). */
function launchTrial(planned: PlannedTrial, options: SweepCommandOptions): LaunchedTrial {
  const { writer, resumeFrom } = readyTrial(planned, undefined);
  const args = [...process.execArgv, process.argv[1], 'trial', planned.dir];
  if (resumeFrom) args.push('--resume');
  if (options.maxSteps !== undefined) args.push('--max-steps', String(options.maxSteps));
  if (options.device) args.push('--device', options.device);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const done = new Promise<RunStatus>((resolveStatus) => {
    const ended = (code: number | null, cause?: string): void => {
      const info = readRunInfo(planned.dir);
      if (info && info.status !== 'running') return resolveStatus(info.status);
      // The process ended without recording an outcome (crashed, killed, or never started).
      const recorder = new RunRecorder(writer);
      if (code === null && !cause) {
        writer.updateInfo({ status: 'interrupted', endedAt: new Date().toISOString() });
        return resolveStatus('interrupted');
      }
      recorder.fail(
        cause ?? l10n.t("The trial's process exited with code {0}.", String(code)),
        stderr.trim() || undefined,
      );
      resolveStatus('failed');
    };
    child.once('error', (error) =>
      ended(1, l10n.t("Could not start the trial's process: {0}", error.message)),
    );
    child.once('exit', (code) => ended(code));
  });
  return { done, stop: () => child.kill('SIGINT') };
}

/** A folder relative to the working folder when it lies inside it, else in full. */
function shortPath(dir: string): string {
  const path = relative(process.cwd(), dir);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? dir : path;
}
