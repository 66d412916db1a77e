import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Code shared with the CLI and the training process (validation, data loading, run texts) says its
 * messages through `@vscode/l10n`; in the host it uses the bundle VS Code loaded for the display
 * language, so those messages match the host's own `vscode.l10n.t` strings.
 */
export function useDisplayLanguage(): void {
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
}
