/** Which documents are experiment files. */
import type * as vscode from 'vscode';

export const EXPERIMENT_SUFFIX = '.experiment.json';
export const EXPERIMENT_GLOB = `**/*${EXPERIMENT_SUFFIX}`;

export function isExperimentDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.uri.path.endsWith(EXPERIMENT_SUFFIX);
}
