/**
 * "▶ Train" and "Open Runs" above every experiment file ("▶ Run Sweep" too
 * when it has a sweep), plus the number of errors when the file has some
 * (training would refuse to start). Lenses refresh whenever validation of a
 * file finishes.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
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
        title: vscode.l10n.t('▶ Train'),
        tooltip: vscode.l10n.t('Train this experiment (Model Lab)'),
        command: 'modelLab.train',
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('Open Runs'),
        tooltip: vscode.l10n.t('Show the Model Lab Runs view'),
        command: RUNS_VIEW_FOCUS,
      }),
    ];
    const root = parseTree(document.getText());
    if (root && findNodeAtLocation(root, ['sweep'])) {
      lenses.splice(
        1,
        0,
        new vscode.CodeLens(top, {
          title: vscode.l10n.t('▶ Run Sweep'),
          tooltip: vscode.l10n.t("Train every trial of this experiment's sweep (Model Lab)"),
          command: 'modelLab.runSweep',
          arguments: [document.uri],
        }),
      );
    }
    const errors = this.errorCount(document.uri);
    if (errors > 0) {
      const title =
        errors === 1
          ? vscode.l10n.t('$(error) 1 problem to fix before training')
          : vscode.l10n.t('$(error) {0} problems to fix before training', errors);
      lenses.push(
        new vscode.CodeLens(top, {
          title,
          tooltip: vscode.l10n.t('Show the Problems panel'),
          command: PROBLEMS_VIEW,
        }),
      );
    }
    return lenses;
  }
}
