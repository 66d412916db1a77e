/**
 * The `modelLab.runFolders` setting in a real extension host: runs in the listed folders (a
 * relative entry inside the workspace, an absolute one outside it) show in the Runs view with
 * their status, and leave it when the setting no longer lists them.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunStatus } from '../../../src/contract/runStatus';
import { RunWriter } from '../../../src/runs/runWriter';
import { metric, runInfoFixture } from '../../fixtures/runInfo';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

interface ViewSnapshot {
  experiment: string;
  runs: { runDir: string; status?: string; description: string }[];
}

const runsView = async (): Promise<ViewSnapshot[]> =>
  (await vscode.commands.executeCommand<ViewSnapshot[]>('modelLab.refreshRuns')) ?? [];

const statusIn = (view: ViewSnapshot[], runDir: string): string | undefined =>
  view.flatMap((group) => group.runs).find((run) => run.runDir === runDir)?.status;

/** A finished run of `experiment` in `runsDir`, as another machine or the PyTorch export leaves it. */
function writeRun(runsDir: string, experiment: string, status: RunStatus): string {
  const writer = RunWriter.create({ runsDir, info: runInfoFixture({ experiment }) });
  writer.appendMetrics([metric(1), metric(2)]);
  writer.updateInfo({ status, endedAt: new Date().toISOString() });
  return writer.dir;
}

suite('Run folders of the modelLab.runFolders setting', () => {
  const outside = mkdtempSync(join(tmpdir(), 'modellab-synced-runs-'));
  const settings = () => vscode.workspace.getConfiguration('modelLab');

  suiteSetup(() => activatedExtension());
  suiteTeardown(async () => {
    await settings().update('runFolders', undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(outside, { recursive: true, force: true });
  });

  test('the Runs view lists the runs of a relative and an absolute listed folder, and drops them with the setting', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const ciRun = writeRun(join(workspace, 'ci-artefact', 'runs'), 'from-ci', 'completed');
    const syncedRun = writeRun(outside, 'from-cluster', 'stopped');
    assert.equal(statusIn(await runsView(), syncedRun), undefined, 'not listed before the setting');

    await settings().update(
      'runFolders',
      ['ci-artefact/runs', `  ${outside}  `],
      vscode.ConfigurationTarget.Workspace,
    );
    const view = await eventually(
      runsView,
      (value) => statusIn(value, ciRun) !== undefined && statusIn(value, syncedRun) !== undefined,
      'the runs of both listed folders in the Runs view',
    );
    assert.equal(statusIn(view, ciRun), 'completed');
    assert.equal(statusIn(view, syncedRun), 'stopped');
    assert.ok(view.some((group) => group.experiment === 'from-cluster'));

    await settings().update('runFolders', [], vscode.ConfigurationTarget.Workspace);
    await eventually(
      runsView,
      (value) => statusIn(value, ciRun) === undefined && statusIn(value, syncedRun) === undefined,
      'the listed folders to leave the Runs view',
    );
  });
});
