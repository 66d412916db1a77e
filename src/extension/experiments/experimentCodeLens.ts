/**
 * "▶ Train" and "Open Runs" above every experiment file, plus the number of
 * errors when the file has some (training would refuse to start). Lenses
 * refresh whenever validation of a file finishes.
 */
import * as vscode from 'vscode';

const RUNS_VIEW_FOCUS = 'modelLab.runs.focus';
const PROBLEMS_VIEW = 'workbench.actions.view.problems';

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider {
  constructor(
    readonly onDidChangeCodeLenses: vscode.Event<void>,
    private readonly errorCount: (uri: vscode.Uri) => number,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
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
    const errors = this.errorCount(document.uri);
    if (errors > 0) {
      const title = `$(error) ${errors} problem${errors === 1 ? '' : 's'} to fix before training`;
      lenses.push(
        new vscode.CodeLens(top, { title, tooltip: 'Show the Problems panel', command: PROBLEMS_VIEW }),
      );
    }
    return lenses;
  }
}
