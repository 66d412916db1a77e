/**
 * "Model Lab: Run Sweep": the trials of an experiment's sweep, each an
 * ordinary run in its own training process, `parallel` at a time (the same
 * preparation, folders and scheduler as `model-lab sweep`). One progress
 * notification for the whole sweep; its Cancel stops the training trials
 * cleanly and leaves the queued ones queued, and running the sweep again
 * continues it. The ranking goes to the Model Lab Runs output channel.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { DeviceName } from '../../contract/devices';
import { describeValues } from '../../experiment/sweep/sweepChecks';
import type { LoadDatasetFacts } from '../../data/api';
import { readRunInfo } from '../../runs/runReader';
import { prepareSweep, type PreparedSweep } from '../../runs/sweep/prepareSweep';
import { rankingLines, rankSweep } from '../../runs/sweep/sweepRanking';
import { readyTrial, type PlannedTrial } from '../../runs/sweep/sweepPlan';
import { SweepScheduler, type LaunchedTrial } from '../../runs/sweep/sweepScheduler';
import { currentVersions } from '../../runs/versions';
import type { RunManager } from './runManager';

export const RUN_SWEEP_COMMAND = 'modelLab.runSweep';

export interface SweepCommandDeps {
  manager: RunManager;
  output: vscode.OutputChannel;
  loadDatasetFacts: LoadDatasetFacts;
  runsDirFor(experimentFile: string): string;
  /** The trust gate Train uses. */
  mayTrain(): Promise<boolean>;
  /** The Runs view shows the new trial folders. */
  refresh(): void;
}

/** What the command returns (for scripts and tests): each trial's folder and status once the sweep ends. */
export interface SweepResult {
  id: string;
  cancelled: boolean;
  trials: { dir: string; index: number; status: string }[];
}

export class SweepRunner {
  /** Sweeps running in this window, by experiment file: a second start of one is refused. */
  private readonly running = new Map<string, SweepScheduler<PlannedTrial>>();

  constructor(private readonly deps: SweepCommandDeps) {}

  async run(experimentFile: string): Promise<SweepResult | undefined> {
    const { deps } = this;
    if (!(await deps.mayTrain())) return undefined;
    const name = basename(experimentFile);
    if (this.running.has(experimentFile)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The sweep of {0} is already running.', name));
      return undefined;
    }
    let sweep: PreparedSweep;
    try {
      await vscode.workspace.saveAll(false);
      sweep = await prepareSweep({
        experimentFile,
        runsDir: deps.runsDirFor(experimentFile),
        versions: currentVersions(),
        loadData: deps.loadDatasetFacts,
      });
    } catch (error) {
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t(
            'Cannot run the sweep of {0}: {1}',
            name,
            error instanceof Error ? error.message : String(error),
          ),
          vscode.l10n.t('Show Problems'),
        )
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return undefined;
    }
    deps.refresh();
    const defaultDevice = vscode.workspace.getConfiguration('modelLab').get<DeviceName>('device', 'auto');
    const pending = sweep.trials.filter((trial) => trial.action !== 'keep');
    const scheduler = new SweepScheduler(pending, sweep.parallel, async (planned) =>
      this.launch(sweep, planned, defaultDevice),
    );
    this.running.set(experimentFile, scheduler);
    const log = (line: string): void => deps.output.appendLine(`[${sweep.experiment.name}] ${line}`);
    log(
      `Sweep ${sweep.id}: ${sweep.trials.length} trials, ${sweep.trials.length - pending.length} finished before.`,
    );
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Sweep of {0}', sweep.experiment.name),
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => {
            scheduler.cancel();
            progress.report({
              message: vscode.l10n.t(
                'stopping: training trials stop after their current step, queued ones stay queued',
              ),
            });
          });
          let ended = sweep.trials.length - pending.length;
          const report = (): void =>
            progress.report({ message: vscode.l10n.t('{0} of {1} trials done', ended, sweep.trials.length) });
          report();
          await scheduler.run(({ item, status }) => {
            ended++;
            log(
              `trial ${item.trial.index + 1}/${sweep.trials.length} ${status} (${describeValues(item.trial.values)})`,
            );
            if (!scheduler.isCancelled) report();
            deps.refresh();
          });
        },
      );
    } finally {
      this.running.delete(experimentFile);
    }
    for (const line of rankingLines(sweep)) log(line);
    void this.announce(sweep, scheduler.isCancelled);
    return {
      id: sweep.id,
      cancelled: scheduler.isCancelled,
      trials: sweep.trials.map(({ dir, trial }) => ({
        dir,
        index: trial.index,
        status: readRunInfo(dir)?.status ?? 'failed',
      })),
    };
  }

  private launch(sweep: PreparedSweep, planned: PlannedTrial, defaultDevice: DeviceName): LaunchedTrial {
    const { writer, resumeFrom } = readyTrial(planned, undefined);
    const run = this.deps.manager.startPrepared({
      experimentFile: sweep.experimentFile,
      experiment: planned.trial.config,
      writer,
      resumeFrom,
      defaultDevice,
    });
    this.deps.refresh();
    return {
      done: run.done.then(() => readRunInfo(planned.dir)?.status ?? 'failed'),
      stop: () => this.deps.manager.stop(planned.dir),
    };
  }

  private async announce(sweep: PreparedSweep, cancelled: boolean): Promise<void> {
    const { key } = sweep.ranking;
    const best = rankSweep(sweep)[0];
    const headline = cancelled
      ? vscode.l10n.t('Sweep of {0} stopped; Run Sweep again continues it.', sweep.experiment.name)
      : best?.value !== undefined
        ? vscode.l10n.t(
            'Sweep of {0} finished. Best: trial {1} ({2}), {3} {4}.',
            sweep.experiment.name,
            best.index + 1,
            describeValues(best.values),
            key,
            Number(best.value.toPrecision(4)),
          )
        : vscode.l10n.t('Sweep of {0} finished; no trial recorded {1}.', sweep.experiment.name, key);
    const choice = await vscode.window.showInformationMessage(headline, vscode.l10n.t('Show Ranking'));
    if (choice) this.deps.output.show(true);
  }
}
