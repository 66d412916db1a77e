/** Which documents are experiment files, and whether a file the commands would write exists. */
import * as vscode from 'vscode';

export const EXPERIMENT_SUFFIX = '.experiment.json';
export const EXPERIMENT_GLOB = `**/*${EXPERIMENT_SUFFIX}`;

export function isExperimentDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.uri.path.endsWith(EXPERIMENT_SUFFIX);
}

export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
