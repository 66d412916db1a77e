/** "▶ Train" and "Open Runs" above every experiment file. */
import * as vscode from 'vscode';

const RUNS_VIEW_FOCUS = 'modelLab.runs.focus';

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '▶ Train',
        tooltip: 'Train this experiment (Model Lab)',
        command: 'modelLab.train',
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, {
        title: 'Open Runs',
        tooltip: 'Show the Model Lab Runs view',
        command: RUNS_VIEW_FOCUS,
      }),
    ];
  }
}
