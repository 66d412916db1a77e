/**
 * How a panel gets its strings in VS Code's display language. Webviews have no `vscode.l10n`, so
 * the host writes the language into `<html lang>` and the extension's l10n bundle (the
 * translations, keyed by the English text; empty in English) into a JSON data block with this id,
 * before any script runs. webview/shared/l10n.ts reads it with this guard and configures
 * `@vscode/l10n`, so webview code says `l10n.t('…')` like the host does.
 */
export const WEBVIEW_STRINGS_ELEMENT_ID = 'model-lab-l10n';

export function isWebviewStrings(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((text) => typeof text === 'string')
  );
}
