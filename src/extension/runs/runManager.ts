/**
 * Starts, tracks and stops training runs from the extension host. Each run
 * gets its own forked training process (a native crash or out-of-memory
 * there cannot take the host down). Policy: one run at a time per
 * experiment (a second start is refused with an ExperimentBusyError, which the
 * Train command turns into an offer to stop the run and start again); runs of different
 * experiments train side by side. Plain Node, no `vscode`: the commands,
 * status bar and Runs view are thin layers over this class.
 */
import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import * as l10n from '@vscode/l10n';
import type { LoadDatasetFacts } from '../../data/api';
import type { DeviceName } from '../../contract/devices';
import type { Experiment } from '../../contract/experiment';
import type { StartTraining } from '../../protocol/training';
import type { RunInfo } from '../../runs/runFiles';
import { listAllRunsAsync, type RunEntry } from '../../runs/runReader';
import { RunRecorder } from '../../runs/runRecorder';
import { RunWriter } from '../../runs/runWriter';
import { prepareRun } from '../../runs/prepareRun';
import type { IDisposable } from '../lifecycle';
import { liveRunOwner, processIsAlive } from '../../runs/runOwner';
import { ActiveRun } from './activeRun';
import { attachToTrainer, forkedLink, type TrainerLink } from './trainerLink';
import { Emitter } from '../emitter';

export interface RunManagerOptions {
  /** Forks a training process (dist/training-process.js) with an IPC channel and piped output. */
  fork(): ChildProcess;
  /** What prepareRun validates an experiment against (its data's facts: images listed, not decoded). */
  loadDatasetFacts: LoadDatasetFacts;
  /** `<workspace>/.modellab/runs` for the workspace folder holding the experiment. */
  runsDirFor(experimentFile: string): string;
  /**
   * The versions run.json records, asked for when a run starts: finding onnxruntime's package.json
   * took about 2 ms, too much to spend at activation for a run that may never start.
   */
  versions(): RunInfo['versions'];
  /** How long a stop may take before the process is killed (default 10 s). */
  stopGraceMs?: number;
  /** How long a run trains on with no window attached (default: the training process's 60 s). */
  hostGraceMs?: number;
  /** The modelLab.training.keepRunningWithoutWindow setting: train on with no window at all. */
  keepRunningWithoutWindow?(): boolean;
}

export interface StartRunOptions {
  experimentFile: string;
  /** Used when the experiment does not set `training.device` (the `modelLab.device` setting). */
  defaultDevice: DeviceName;
  /** A run folder whose last checkpoint the new run continues from. */
  resumeFrom?: string;
  maxSteps?: number;
  /** Intra-op threads of the run (the modelLab.threads setting); every core when absent. */
  threads?: number;
}

const DEFAULT_GRACE_MS = 10_000;

/** A start refused because the experiment already has a run training. */
export class ExperimentBusyError extends Error {
  constructor(readonly busy: ActiveRun) {
    super(
      l10n.t(
        '"{0}" is already training (run {1}). Model Lab trains one run per experiment at a time: stop it first, or train another experiment side by side.',
        busy.experiment,
        basename(busy.runDir),
      ),
    );
    this.name = 'ExperimentBusyError';
  }
}

export class RunManager implements IDisposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly changed = new Emitter<ActiveRun>();
  private readonly logged = new Emitter<{ run: ActiveRun; line: string }>();
  /** Fires on every progress, status or outcome change of an active run. */
  readonly onDidChangeRun = this.changed.event;
  /** Fires for each log line of an active run (for an output channel). */
  readonly onDidLog = this.logged.event;

  constructor(private readonly options: RunManagerOptions) {}

  /** Runs still training. */
  get activeRuns(): ActiveRun[] {
    return [...this.runs.values()].filter((run) => run.status === 'running');
  }

  runFor(experiment: string): ActiveRun | undefined {
    return this.activeRuns.find((run) => run.experiment === experiment);
  }

  runAt(runDir: string): ActiveRun | undefined {
    return this.runs.get(runDir);
  }

  /**
   * Prepares the run (validation with its data, then the run folder; see
   * prepareRun), forks the process and sends it the validated experiment;
   * refuses a second run of the same experiment before any folder exists.
   */
  async start(options: StartRunOptions): Promise<ActiveRun> {
    const { experiment, writer } = await prepareRun({
      experimentFile: options.experimentFile,
      runsDir: this.options.runsDirFor(options.experimentFile),
      resumeFrom: options.resumeFrom,
      versions: this.options.versions(),
      loadData: this.options.loadDatasetFacts,
      beforeClaim: (candidate) => {
        const busy = this.runFor(candidate.name);
        if (busy) throw new ExperimentBusyError(busy);
      },
    });
    return this.launch({ ...options, experiment, writer });
  }

  /**
   * Trains a run folder that is already written and checked: a sweep's trial,
   * readied by the sweep (several of one experiment train side by side).
   */
  startPrepared(options: StartRunOptions & { experiment: Experiment; writer: RunWriter }): ActiveRun {
    return this.launch(options);
  }

  private launch(options: StartRunOptions & { experiment: Experiment; writer: RunWriter }): ActiveRun {
    const { experiment, writer } = options;
    let child: ChildProcess;
    try {
      child = this.options.fork();
    } catch (error) {
      new RunRecorder(writer).fail(
        l10n.t(
          'Could not start the training process: {0}',
          error instanceof Error ? error.message : String(error),
        ),
      );
      throw error;
    }
    writer.updateInfo({ pid: child.pid });
    const run = this.track(forkedLink(child), writer.dir, experiment.name, options.experimentFile);
    const start: StartTraining = {
      type: 'start',
      experimentFile: options.experimentFile,
      experiment,
      runDir: writer.dir,
      device: experiment.training.device ?? options.defaultDevice,
      resumeFrom: options.resumeFrom,
      maxSteps: options.maxSteps,
      hostGraceMs: this.options.hostGraceMs,
      keepRunningWithoutHost: this.options.keepRunningWithoutWindow?.() ?? false,
      threads: options.threads,
    };
    run.send(start);
    this.changed.fire(run);
    return run;
  }

  /** Cooperative stop of the run in `runDir`; false when it is not training. */
  stop(runDir: string): boolean {
    const run = this.runs.get(runDir);
    if (!run || run.status !== 'running') return false;
    run.stop();
    return true;
  }

  /**
   * When a window opens (after a reload): a run whose run.json says running
   * and whose training process still owns its folder is attached to (status
   * bar, progress, Stop, outcome); one whose process is gone is marked
   * interrupted (it can be resumed from its last checkpoint).
   */
  async reattach(runsDir: string): Promise<{ attached: ActiveRun[]; interrupted: RunEntry[] }> {
    const attached: ActiveRun[] = [];
    const interrupted: RunEntry[] = [];
    // Read without blocking: this runs when the window opens, and a workspace may hold hundreds of runs.
    for (const entry of await listAllRunsAsync(runsDir)) {
      const info = entry.info;
      if (info?.status !== 'running' || this.runs.has(entry.dir)) continue;
      const owner = liveRunOwner(entry.dir);
      const link = owner && (await attachToTrainer(owner.endpoint, owner.pid).catch(() => undefined));
      if (link) {
        attached.push(this.track(link, entry.dir, info.experiment, info.experimentFile));
        continue;
      }
      // A process without an endpoint, still alive, is left alone: it may yet finish and say so.
      if (!owner && processIsAlive(info.pid)) continue;
      const writer = RunWriter.open(entry.dir, info);
      writer.appendLog(l10n.t('The training process ended without finishing this run; marked interrupted.'));
      writer.updateInfo({ status: 'interrupted' });
      interrupted.push({ ...entry, info: writer.info });
    }
    for (const run of attached) this.changed.fire(run);
    return { attached, interrupted };
  }

  /**
   * The window goes (reload or close): runs are let go, not stopped. Each
   * trains on for its grace period and stops with a checkpoint if no window
   * attaches by then (unless keepRunningWithoutWindow).
   */
  dispose(): void {
    for (const run of this.runs.values()) run.detach();
    this.changed.dispose();
    this.logged.dispose();
  }

  private track(link: TrainerLink, runDir: string, experiment: string, experimentFile: string): ActiveRun {
    const run = new ActiveRun(
      link,
      runDir,
      experiment,
      experimentFile,
      this.options.stopGraceMs ?? DEFAULT_GRACE_MS,
      {
        changed: (changed) => this.changed.fire(changed),
        logged: (from, line) => this.logged.fire({ run: from, line }),
      },
    );
    this.runs.set(runDir, run);
    void run.done.then(() => {
      this.runs.delete(runDir);
      this.changed.fire(run);
    });
    return run;
  }
}
