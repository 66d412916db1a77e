// Shared by the integration tests: the Model Lab extension as the host loaded it.
import * as vscode from 'vscode';

export const extensionId = 'modellab.model-lab';

export interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The extension, activated (activation is idempotent). */
export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this extension host`);
  await extension.activate();
  return extension;
}

export function contributedCommands(extension: vscode.Extension<unknown>): ContributedCommand[] {
  const manifest = extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } };
  return manifest.contributes?.commands ?? [];
}
