/** "Model Lab: Open Runs Table", the table's reload serializer and its config-diff documents. */
import * as vscode from 'vscode';
import { isRunsTableLayout, RUNS_TABLE_VIEW_TYPE } from '../../protocol/runsTablePanel';
import { allRunsDirs } from '../runs/runsRoots';
import { registerRunConfigDocuments } from './configDiff';
import { RunsTablePanel, type RunsTableSources } from './runsTablePanel';

export const RUNS_TABLE_COMMANDS = { open: 'modelLab.openRunsTable' } as const;

/** Where the workspace state keeps the table's sort and columns. */
const LAYOUT_KEY = 'modelLab.runsTable.layout';

export function registerRunsTableCommands(
  extensionUri: vscode.Uri,
  workspaceState: vscode.Memento,
  onDidChangeRuns: RunsTableSources['onDidChangeRuns'],
): vscode.Disposable[] {
  const sources: RunsTableSources = {
    runsDirs: allRunsDirs,
    onDidChangeRuns,
    layout: {
      // Checked on the way out too: an older or hand-edited state is ignored, not trusted.
      get: () => {
        const layout: unknown = workspaceState.get(LAYOUT_KEY);
        return isRunsTableLayout(layout) ? layout : undefined;
      },
      save: (layout) => void workspaceState.update(LAYOUT_KEY, layout),
    },
  };
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
