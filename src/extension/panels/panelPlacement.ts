import * as vscode from 'vscode';

/**
 * Where run panels (metrics, evaluation, attention) open: together, in one
 * editor group beside the editor. `ViewColumn.Beside` alone is relative to the
 * active group, so opening Evaluation from the metrics panel made a third
 * column, Attention a fourth, until every panel was 260 px wide.
 */
const runPanels = new Set<vscode.WebviewPanel>();

/** Counts `panel` as a run panel while it is open (new, or restored after a reload). */
export function trackRunPanel(panel: vscode.WebviewPanel): vscode.Disposable {
  runPanels.add(panel);
  const remember = panel.onDidChangeViewState(() => {
    // Most recently shown last, so a new panel joins the group the user looked at last.
    if (!panel.visible) return;
    runPanels.delete(panel);
    runPanels.add(panel);
  });
  return new vscode.Disposable(() => {
    remember.dispose();
    runPanels.delete(panel);
  });
}

/** The group of the run panel shown last, or beside the active editor when none is open. */
export function runPanelColumn(): vscode.ViewColumn {
  const placed = [...runPanels].filter((panel) => panel.viewColumn !== undefined);
  return placed.at(-1)?.viewColumn ?? vscode.ViewColumn.Beside;
}
