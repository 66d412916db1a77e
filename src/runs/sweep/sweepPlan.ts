/**
 * A sweep on disk: every trial gets its run folder up front, status
 * `queued`, with run.json `sweep: { id, index, values }`. The id is a hash
 * of the experiment file's content (sweep included), so running the same
 * sweep again finds its folders: finished trials (completed or failed) are
 * kept, queued ones start, and stopped or interrupted ones continue in their
 * own folder from their last checkpoint.
 */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Experiment } from '../../contract/experiment';
import type { SweepTrial } from '../../experiment/sweep/expandSweep';
import type { RunInfo } from '../runFiles';
import { listRuns } from '../runReader';
import { liveRunOwner, processIsAlive } from '../runOwner';
import { RunWriter } from '../runWriter';
import { RunFolderError } from '../runFolderError';
import { experimentFolderName } from '../runId';

/** What a sweep run does with one trial. */
export type TrialAction = 'keep' | 'start' | 'continue';

export interface PlannedTrial {
  trial: SweepTrial;
  /** The trial's run folder. */
  dir: string;
  info: RunInfo;
  action: TrialAction;
}

/** Names a sweep by its experiment file's content: the same file resumes the same sweep. */
export function sweepId(experiment: Experiment): string {
  return createHash('sha256').update(JSON.stringify(experiment)).digest('hex').slice(0, 12);
}

/** Trials at once when the sweep does not say: each trial's runtime uses several threads, so half the cores. */
export function defaultParallel(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export interface PlanSweepOptions {
  runsDir: string;
  /** Absolute path of the experiment file. */
  experimentFile: string;
  /** The validated experiment, sweep included. */
  experiment: Experiment;
  /** Its trials, each config already validated. */
  trials: SweepTrial[];
  versions: RunInfo['versions'];
}

/**
 * Finds the sweep's trial folders and writes the missing ones (queued).
 * Refuses, before writing anything, when a trial of this sweep is still
 * training in a live process.
 */
export function planSweep(options: PlanSweepOptions): PlannedTrial[] {
  const { experiment, trials } = options;
  const id = sweepId(experiment);
  const existing = new Map<number, { dir: string; info: RunInfo }>();
  for (const entry of listRuns(options.runsDir, experimentFolderName(experiment.name))) {
    if (entry.info?.sweep?.id === id && !existing.has(entry.info.sweep.index))
      existing.set(entry.info.sweep.index, { dir: entry.dir, info: entry.info });
  }
  for (const [index, { dir, info }] of existing) {
    if (info.status === 'running' && (liveRunOwner(dir) || processIsAlive(info.pid)))
      throw new RunFolderError(
        l10n.t(
          'Trial {0} of this sweep is still training in {1}: stop it (or wait for it) before running the sweep again.',
          index + 1,
          dir,
        ),
        dir,
      );
  }
  return trials.map((trial) => {
    const found = existing.get(trial.index);
    if (found) return { trial, ...found, action: actionFor(found.info) };
    const writer = RunWriter.create({
      runsDir: options.runsDir,
      status: 'queued',
      info: {
        experiment: experiment.name,
        experimentFile: options.experimentFile,
        config: trial.config,
        seed: trial.config.training.seed,
        versions: options.versions,
        sweep: { id, index: trial.index, values: trial.values },
      },
    });
    return { trial, dir: writer.dir, info: writer.info, action: 'start' as const };
  });
}

function actionFor(info: RunInfo): TrialAction {
  switch (info.status) {
    case 'completed':
    case 'failed':
      return 'keep';
    case 'queued':
      return 'start';
    default:
      // stopped, interrupted, or running in a process that is gone
      return 'continue';
  }
}

/**
 * Readies a trial's folder to train now: status running, and for a trial
 * that trained before, its metrics cut back to its last checkpoint, which
 * the run continues from (returned as `resumeFrom`, the folder itself); a
 * trial with no checkpoint starts over. Throws a RunFolderError when the
 * folder cannot be written.
 */
export function readyTrial(
  planned: PlannedTrial,
  pid: number | undefined,
  now = new Date(),
): { writer: RunWriter; resumeFrom?: string } {
  const writer = RunWriter.open(planned.dir, planned.info);
  let resumeFrom: string | undefined;
  if (planned.action === 'continue') {
    const step = writer.restartFromCheckpoint();
    if (step !== undefined) resumeFrom = planned.dir;
    writer.appendLog(
      step === undefined
        ? l10n.t('The sweep runs this trial again from the start (it has no checkpoint).')
        : l10n.t('The sweep continues this trial from its checkpoint at step {0}.', step),
      now,
    );
  }
  writer.updateInfo({
    status: 'running',
    startedAt: now.toISOString(),
    endedAt: undefined,
    error: undefined,
    pid,
  });
  return { writer, resumeFrom };
}
