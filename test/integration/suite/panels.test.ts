import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { metric, runInfoFixture } from '../../fixtures/runInfo';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

function panelTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));
}

/** The tab model reaches the extension host shortly after a panel opens: poll for the expected tabs. */
function tabsWhen(viewType: string, done: (tabs: vscode.Tab[]) => boolean): Promise<vscode.Tab[]> {
  return eventually(() => panelTabs(viewType), done, `${viewType} tabs`, 10_000).catch(() =>
    panelTabs(viewType),
  );
}

/** A finished run folder with a few metrics, as the trainer leaves it. */
function runFolder(root: string, id: string): string {
  const dir = join(root, '.modellab', 'runs', 'panels-it', id);
  mkdirSync(dir, { recursive: true });
  const info = { ...runInfoFixture({ experiment: 'panels-it' }), id, status: 'completed', startedAt: '' };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(info));
  writeFileSync(join(dir, 'metrics.jsonl'), [1, 2, 3].map((s) => JSON.stringify(metric(s)) + '\n').join(''));
  return dir;
}

suite('Run panels', () => {
  let root: string;
  let first: string;
  let second: string;

  suiteSetup(async () => {
    await activatedExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    first = runFolder(root, '20261129-010101');
    second = runFolder(root, '20261129-020202');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(join(root, '.modellab', 'runs', 'panels-it'), { recursive: true, force: true });
  });

  test('Open Metrics takes { runDir } or a folder Uri and shows one panel per run', async () => {
    await vscode.commands.executeCommand('modelLab.openMetrics', { runDir: first });
    await vscode.commands.executeCommand('modelLab.openMetrics', vscode.Uri.file(first));
    const tabs = await tabsWhen('modelLab.metrics', (t) => t.length > 0 && t[0].label.includes('panels-it'));
    assert.deepEqual(
      tabs.map((t) => t.label),
      ['Metrics: panels-it / 20261129-010101'],
    );
  });

  test('Compare Runs takes a Runs-view multi-selection and opens one panel over both runs', async () => {
    await vscode.commands.executeCommand('modelLab.compareRuns', { runDir: first }, [
      { runDir: first },
      { runDir: second },
    ]);
    const compared = (t: vscode.Tab[]) => t.some((tab) => tab.label === 'Metrics: 2 runs compared');
    assert.ok(compared(await tabsWhen('modelLab.metrics', compared)));
  });

  test('Open Evaluation and Open Attention open their panels for the run', async () => {
    await vscode.commands.executeCommand('modelLab.openEvaluation', { runDir: first });
    await vscode.commands.executeCommand('modelLab.openAttention', { runDir: first });
    assert.equal((await tabsWhen('modelLab.evaluation', (t) => t.length > 0)).length, 1);
    assert.equal((await tabsWhen('modelLab.attention', (t) => t.length > 0)).length, 1);
  });
});
