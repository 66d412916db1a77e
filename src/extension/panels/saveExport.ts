import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';

/**
 * Asks where to save an export (CSV, PNG) with a save dialog that starts in the
 * first workspace folder, writes it, and says where it went.
 */
export async function saveExport(
  suggestedName: string,
  bytes: Uint8Array,
  filter: Record<string, string[]>,
): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.file(join(folder, suggestedName)) : undefined,
    filters: filter,
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return undefined;
  await writeFile(target.fsPath, bytes);
  void vscode.window.showInformationMessage(vscode.l10n.t('Model Lab exported {0}', target.fsPath));
  return target.fsPath;
}

/** The bytes of a `data:image/png;base64,…` URL (already checked by the protocol guard). */
export function pngBytes(dataUrl: string): Uint8Array {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}
