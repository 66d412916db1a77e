/** "Model Lab: Open Runs Table", the table's reload serializer and its config-diff documents. */
import * as vscode from 'vscode';
import { RUNS_TABLE_VIEW_TYPE } from '../../protocol/runsTablePanel';
import { allRunsDirs } from '../runs/runsRoots';
import { registerRunConfigDocuments } from './configDiff';
import { RunsTablePanel, type RunsTableSources } from './runsTablePanel';

export const RUNS_TABLE_COMMANDS = { open: 'modelLab.openRunsTable' } as const;

export function registerRunsTableCommands(
  extensionUri: vscode.Uri,
  onDidChangeRuns: RunsTableSources['onDidChangeRuns'],
): vscode.Disposable[] {
  const sources: RunsTableSources = { runsDirs: allRunsDirs, onDidChangeRuns };
  return [
    registerRunConfigDocuments(),
    vscode.commands.registerCommand(RUNS_TABLE_COMMANDS.open, () =>
      RunsTablePanel.show(extensionUri, sources),
    ),
    // The table holds no run of its own: a reloaded window reopens it on whatever runs there are.
    vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel) {
        RunsTablePanel.restore(panel, extensionUri, sources);
      },
    }),
  ];
}
