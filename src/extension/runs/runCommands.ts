/**
 * The runs command group: train, stop, resume, export, reveal, delete, the
 * Runs view, the status bar item, progress notifications and the run log
 * channel. The logic lives in RunManager (plain Node); this file only
 * translates between it and VS Code.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { loadDatasetFacts } from '../../data/loadDataset';
import { DatasetCache } from '../../experiment/datasetCache';
import type { DeviceName } from '../../contract/devices';
import { RUN_FILES } from '../../runs/runFiles';
import { TOKENIZER_FILES } from '../../runs/runTokenizer';
import { readRunInfo } from '../../runs/runReader';
import { currentVersions } from '../../runs/versions';
import { experimentFileOf, pickExperimentFile } from '../experiments/chooseExperiment';
import { forkTrainingProcess } from '../trainingProcess/forkTrainingProcess';
import { announceOutcome, showRunProgress, warnOnDeviceFallback } from './runNotifications';
import { offerRestart } from './busyExperiment';
import { resumeRun } from './resumeRun';
import type { ActiveRun } from './activeRun';
import { ExperimentBusyError, RunManager } from './runManager';
import { RunStatusBar } from './runStatusBar';
import { RunsTreeProvider } from './runsTreeProvider';
import { trainingThreads } from './trainingThreads';
import { allRunsDirs, watchConfiguredRunsDirs, workspaceRunsDirs } from './runsRoots';
import { mayTrain } from './trustGate';
import { RUN_SWEEP_COMMAND, SweepRunner } from './sweepCommand';

export const RUN_COMMANDS = {
  train: 'modelLab.train',
  stop: 'modelLab.stop',
  resume: 'modelLab.resume',
  exportModel: 'modelLab.exportModel',
  revealRun: 'modelLab.revealRun',
  deleteRun: 'modelLab.deleteRun',
  refreshRuns: 'modelLab.refreshRuns',
  showRunLog: 'modelLab.showRunLog',
} as const;

/** `<workspace folder>/.modellab/runs` of the folder holding `file` (or next to the file outside any folder). */
function runsDirFor(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  return join(folder?.uri.fsPath ?? dirname(file), '.modellab', 'runs');
}

/** The run folder a command is about: `{ runDir }` (Runs view item, panels), a Uri or a path. */
function runDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const runDir = (arg as { runDir?: unknown } | undefined)?.runDir;
  return typeof runDir === 'string' ? runDir : undefined;
}

/** The experiment file to train: a Uri or path argument, an experiment item of the Runs view, or the active editor. */
function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The run commands, and the Runs view's refresh event (runs appeared, changed or went; bursts
 * coalesced), which the runs table follows too.
 */
export function registerRunCommands(extensionUri: vscode.Uri): {
  disposables: vscode.Disposable[];
  onDidChangeRuns: RunsTreeProvider['onDidChangeTreeData'];
  /** The runs training in this window, for the panels that show their progress. */
  liveRuns: RunManager;
} {
  // Data errors are found before a run folder exists; the last data's facts stay cached for the next Train.
  const datasetFacts = new DatasetCache(loadDatasetFacts, 1).load;
  const manager = new RunManager({
    // Detached: a run outlives a window reload (the training process owns its run folder).
    fork: () => forkTrainingProcess(extensionUri, { detached: true }),
    keepRunningWithoutWindow: () =>
      vscode.workspace.getConfiguration('modelLab').get<boolean>('training.keepRunningWithoutWindow', false),
    loadDatasetFacts: datasetFacts,
    runsDirFor,
    versions: currentVersions,
  });
  const output = vscode.window.createOutputChannel(vscode.l10n.t('Model Lab Runs'));
  const tree = new RunsTreeProvider(allRunsDirs);
  const view = vscode.window.createTreeView('modelLab.runs', { treeDataProvider: tree, canSelectMany: true });
  // After a window reload: runs still training are attached to again; those whose process is gone are marked
  // interrupted. Only the workspace's own: a configured folder may hold runs of another machine.
  for (const runsDir of workspaceRunsDirs()) {
    void manager.reattach(runsDir).then(({ attached }) => {
      for (const run of attached) {
        output.appendLine(
          `[${run.experiment}] ${vscode.l10n.t('Attached to the run still training in {0}', run.runDir)}`,
        );
        followRun(run);
      }
      tree.refresh();
    });
  }
  const watcher = vscode.workspace.createFileSystemWatcher('**/.modellab/runs/*/*/run.json');
  // A run folder made by another process (the CLI, a sweep, a sync) can have its run.json written
  // before the file watcher watches the new folder, so that file's events never come: the folder's
  // own creation (and removal) is reported by its parent, which is already watched.
  const folderWatcher = vscode.workspace.createFileSystemWatcher(
    '**/.modellab/runs/{*,*/*}',
    false,
    true,
    false,
  );

  /** Progress notification and the outcome message, for a run started or attached to in this window. */
  function followRun(run: ActiveRun): void {
    showRunProgress(manager, run);
    void announceOutcome(run, () => output.show(true));
  }

  const trainingAllowed = () =>
    mayTrain({
      isTrusted: vscode.workspace.isTrusted,
      showWarning: (text, action) => vscode.window.showWarningMessage(text, action),
      manageTrust: () => vscode.commands.executeCommand('workbench.trust.manage'),
    });
  const sweeps = new SweepRunner({
    manager,
    output,
    loadDatasetFacts: datasetFacts,
    runsDirFor,
    mayTrain: trainingAllowed,
    refresh: () => tree.refresh(),
  });

  async function train(options: {
    experimentFile: string;
    resumeFrom?: string;
  }): Promise<string | undefined> {
    if (!(await trainingAllowed())) return undefined;
    const defaultDevice = vscode.workspace.getConfiguration('modelLab').get<DeviceName>('device', 'auto');
    try {
      await vscode.workspace.saveAll(false);
      const threads = trainingThreads();
      const run = await manager.start({ ...options, defaultDevice, threads });
      output.appendLine(`[${run.experiment}] ${vscode.l10n.t('Run folder: {0}', run.runDir)}`);
      output.appendLine(
        `[${run.experiment}] ${vscode.l10n.t('Training with {0} threads (modelLab.threads), below normal priority', threads)}`,
      );
      followRun(run);
      warnOnDeviceFallback(manager, run);
      void vscode.commands
        .executeCommand('modelLab.openMetrics', { runDir: run.runDir })
        .then(undefined, () => {
          // The metrics panel is optional here; the run goes on without it.
        });
      tree.refresh();
      return run.runDir;
    } catch (error) {
      // Not awaited: the command returns at once while the message waits for the user.
      if (error instanceof ExperimentBusyError) {
        void offerRestart(error, manager, () => train(options));
        return undefined;
      }
      const name = basename(options.experimentFile);
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t('Cannot train {0}: {1}', name, message(error)),
          vscode.l10n.t('Show Problems'),
        )
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return undefined;
    }
  }

  const command = (id: string, handler: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, handler);
  const disposables = [
    manager,
    output,
    tree,
    view,
    watcher,
    new RunStatusBar(manager),
    manager.onDidChangeRun(refreshOnStatus(() => tree.refresh())),
    manager.onDidLog(({ run, line }) => output.appendLine(`[${run.experiment}] ${line}`)),
    watchConfiguredRunsDirs(() => tree.refresh()),
    watcher.onDidCreate(() => tree.refresh()),
    watcher.onDidChange(() => tree.refresh()),
    watcher.onDidDelete(() => tree.refresh()),
    folderWatcher,
    folderWatcher.onDidCreate(() => tree.refresh()),
    folderWatcher.onDidDelete(() => tree.refresh()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => tree.refresh()),

    command(RUN_COMMANDS.train, async (arg) => {
      const experimentFile =
        experimentFileOf(arg) ??
        (await pickExperimentFile({
          title: vscode.l10n.t('Train which experiment?'),
          noneMessage: vscode.l10n.t('This workspace has no experiment file (*.experiment.json) to train.'),
        }));
      if (!experimentFile) return undefined;
      return train({ experimentFile });
    }),
    command(RUN_SWEEP_COMMAND, async (arg) => {
      const experimentFile =
        experimentFileOf(arg) ??
        (await pickExperimentFile({
          title: vscode.l10n.t('Run the sweep of which experiment?'),
          noneMessage: vscode.l10n.t('This workspace has no experiment file (*.experiment.json) to sweep.'),
        }));
      return experimentFile && sweeps.run(experimentFile);
    }),
    command(RUN_COMMANDS.stop, async (arg) => {
      const runDir = runDirOf(arg) ?? (await pickActiveRun(manager));
      if (!runDir || !manager.stop(runDir))
        void vscode.window.showInformationMessage(vscode.l10n.t('No Model Lab run is training.'));
      return runDir !== undefined;
    }),
    command(RUN_COMMANDS.resume, (arg) => resumeRun(runDirOf(arg), train)),
    command(RUN_COMMANDS.exportModel, async (arg) => {
      const runDir = runDirOf(arg);
      if (!runDir) return undefined;
      const source = vscode.Uri.file(join(runDir, RUN_FILES.model));
      const info = readRunInfo(runDir);
      const defaultUri = vscode.Uri.file(
        join(
          dirname(info?.experimentFile ?? runDir),
          `${info?.experiment ?? 'model'}-${basename(runDir)}.onnx`,
        ),
      );
      const target = await vscode.window.showSaveDialog({
        defaultUri,
        filters: { [vscode.l10n.t('ONNX model')]: ['onnx'] },
        title: vscode.l10n.t('Export the trained model'),
      });
      if (!target) return undefined;
      try {
        await vscode.workspace.fs.copy(source, target, { overwrite: true });
        const withTokenizer = await copyTokenizerBeside(runDir, target);
        void vscode.window.showInformationMessage(
          withTokenizer
            ? vscode.l10n.t('Exported the model to {0}, with its tokenizer.json beside it.', target.fsPath)
            : vscode.l10n.t('Exported the model to {0}.', target.fsPath),
        );
        return target.fsPath;
      } catch (error) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Cannot export the model of {0}: {1}', runDir, message(error)),
        );
        return undefined;
      }
    }),
    command(RUN_COMMANDS.revealRun, async (arg) => {
      const runDir = runDirOf(arg);
      if (!runDir) return;
      const uri = vscode.Uri.file(runDir);
      const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    }),
    command(RUN_COMMANDS.deleteRun, async (arg, selected) => {
      const runDirs = [...new Set([arg, ...(Array.isArray(selected) ? selected : [])].map(runDirOf))].filter(
        (dir): dir is string => dir !== undefined,
      );
      if (runDirs.length === 0) return false;
      const training = runDirs.filter((dir) => manager.runAt(dir)?.status === 'running');
      if (training.length > 0) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Stop the run before deleting it.'));
        return false;
      }
      const deleteAction = vscode.l10n.t('Delete');
      const confirm = await vscode.window.showWarningMessage(
        runDirs.length === 1
          ? vscode.l10n.t(
              'Delete run {0}? Its folder, metrics, checkpoints and model are removed.',
              basename(runDirs[0]),
            )
          : vscode.l10n.t(
              'Delete {0} runs? Their folders, metrics, checkpoints and models are removed.',
              runDirs.length,
            ),
        { modal: true },
        deleteAction,
      );
      if (confirm !== deleteAction) return false;
      for (const dir of runDirs) await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true });
      tree.refresh();
      return true;
    }),
    // Returns what the view shows, so scripts and tests can read the Runs view.
    command(RUN_COMMANDS.refreshRuns, () => {
      tree.refresh();
      return tree.snapshot();
    }),
    command(RUN_COMMANDS.showRunLog, () => output.show(true)),
  ];
  return { disposables, onDidChangeRuns: tree.onDidChangeTreeData, liveRuns: manager };
}

async function pickActiveRun(manager: RunManager): Promise<string | undefined> {
  const runs = manager.activeRuns;
  if (runs.length <= 1) return runs[0]?.runDir;
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.experiment, description: basename(run.runDir), runDir: run.runDir })),
    { title: vscode.l10n.t('Stop which run?') },
  );
  return picked?.runDir;
}

/**
 * The Runs view shows what run.json says (status, final metrics), which a run's progress does
 * not change: the view reads the runs again when a run's status changes (run.json's own file
 * events come too, later), not on each of the progress events a live run sends every second.
 */
function refreshOnStatus(refresh: () => void): (run: { runDir: string; status: string }) => void {
  const shown = new Map<string, string>();
  return (run) => {
    if (shown.get(run.runDir) === run.status) return;
    shown.set(run.runDir, run.status);
    refresh();
  };
}

/**
 * A model of texts goes with its tokenizer (runs/runTokenizer.ts): the run's tokenizer files are
 * copied beside the exported model unless that folder holds a tokenizer.json already. Returns
 * whether they were.
 */
async function copyTokenizerBeside(runDir: string, target: vscode.Uri): Promise<boolean> {
  const folder = dirname(target.fsPath);
  const [json] = TOKENIZER_FILES;
  if (!existsSync(join(runDir, json)) || existsSync(join(folder, json))) return false;
  for (const name of TOKENIZER_FILES)
    if (existsSync(join(runDir, name)))
      await vscode.workspace.fs.copy(
        vscode.Uri.file(join(runDir, name)),
        vscode.Uri.file(join(folder, name)),
      );
  return true;
}
