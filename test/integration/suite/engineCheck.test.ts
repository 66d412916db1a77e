import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { EngineCheckReport } from '../../../src/protocol/engineCheck';
import { eventually } from './eventually';
import { activatedExtension } from './extensionUnderTest';

const allTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((group) => group.tabs);

const isEngineCheckTab = (tab: vscode.Tab): boolean =>
  tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('modelLab.engineCheck');

function engineCheckTabs(): vscode.Tab[] {
  return allTabs().filter(isEngineCheckTab);
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

  test('running it again reuses the one panel, and no second tab turns up later', async () => {
    const opened: vscode.Tab[] = [];
    const listener = vscode.window.tabGroups.onDidChangeTabs((event) =>
      opened.push(...event.opened.filter(isEngineCheckTab)),
    );
    try {
      const report = await vscode.commands.executeCommand<EngineCheckReport | undefined>(
        'modelLab.checkEngine',
      );
      assert.ok(report, 'the second check reported a result');
      // A barrier instead of a sleep: tab changes reach the extension host in order, so once
      // a tab opened after the check is in the model, a panel the check opened would be too.
      const marker = await vscode.workspace.openTextDocument({ content: 'opened after the second check' });
      await vscode.window.showTextDocument(marker, { preview: false });
      await eventually(
        () =>
          allTabs().some(
            (tab) =>
              tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === marker.uri.toString(),
          ),
        Boolean,
        'the marker tab',
        10_000,
      );
      assert.deepEqual(
        opened.map((tab) => tab.label),
        [],
        'the second check opened no Check Engine tab',
      );
      assert.equal(engineCheckTabs().length, 1, 'the second run reuses the open panel');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      listener.dispose();
    }
  });
});
