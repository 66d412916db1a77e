import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { EngineCheckReport } from '../../../src/protocol/engineCheck';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

function engineCheckTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('modelLab.engineCheck'),
    );
}

suite('Check Engine', () => {
  suiteSetup(async () => {
    await activatedExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('runs a graph in a forked training process and opens the panel', async () => {
    const report = await vscode.commands.executeCommand<EngineCheckReport | undefined>(
      'modelLab.checkEngine',
    );
    assert.ok(report, 'the check reported a result (a failure shows an error notification)');
    assert.deepEqual(report.output, report.expected);
    assert.deepEqual(report.output.data, [0.125, 6.5, 3.125, 13.25]);
    assert.equal(report.device, 'cpu');
    assert.match(report.ortVersion, /^1\.30\./);
    // The training process is forked with the extension host's own runtime.
    assert.equal(report.nodeVersion, process.versions.node);
    // The tab model reaches the extension host shortly after the panel opens.
    await eventually(engineCheckTabs, (tabs) => tabs.length === 1, 'one Check Engine tab', 10_000);
  });

  test('running it again reuses the one panel', async () => {
    await vscode.commands.executeCommand('modelLab.checkEngine');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(engineCheckTabs().length, 1, 'the second run reuses the open panel');
  });
});
