/** Which experiment file a command acts on: its argument, the active editor, or a pick from the workspace. */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentItem } from '../runs/runsTreeProvider';
import { EXPERIMENT_GLOB, EXPERIMENT_SUFFIX } from './experimentFiles';

/** A Uri, a path, a Runs view experiment item, or else the experiment file in the active editor. */
export function experimentFileOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  const fromItem = (arg as ExperimentItem | undefined)?.experimentFile;
  if (typeof fromItem === 'string') return fromItem;
  const active = vscode.window.activeTextEditor?.document;
  return active?.fileName.endsWith(EXPERIMENT_SUFFIX) ? active.fileName : undefined;
}

/** From the palette with no experiment open: pick one of the workspace's experiment files. */
export async function pickExperimentFile(purpose: {
  /** The picker's title, e.g. "Train which experiment?". */
  title: string;
  /** Said when the workspace has no experiment file, e.g. "…no experiment file to train." */
  noneMessage: string;
}): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/{node_modules,.modellab}/**');
  if (files.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      purpose.noneMessage,
      vscode.l10n.t('New Experiment…'),
    );
    if (choice) await vscode.commands.executeCommand('modelLab.newExperiment');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files
      .map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri }))
      .sort((a, b) => a.description.localeCompare(b.description)),
    // Kept open when focus moves: started from a walkthrough button, the walkthrough marks its step done
    // and takes focus back, which would otherwise close the picker as it appears.
    { title: purpose.title, matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked?.uri.fsPath;
}
