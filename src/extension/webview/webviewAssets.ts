import * as vscode from 'vscode';

// Where webview assets come from: only the bundle (dist/) and media/. Every panel
// uses these so no panel can widen its localResourceRoots by accident.

const assetFolders = ['dist', 'media'] as const;

/** Webview options for every Model Lab panel: scripts on, files only from dist/ and media/. */
export function panelWebviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: assetFolders.map((folder) => vscode.Uri.joinPath(extensionUri, folder)),
  };
}

/** URI of a file under dist/ (bundled webview scripts) as the webview can load it. */
export function distAssetUri(webview: vscode.Webview, extensionUri: vscode.Uri, ...path: string[]): string {
  return webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...path)).toString();
}

/** URI of a file under media/ (stylesheets, icons) as the webview can load it. */
export function mediaAssetUri(webview: vscode.Webview, extensionUri: vscode.Uri, ...path: string[]): string {
  return webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...path)).toString();
}

/**
 * The display language and this extension's translations (the l10n bundle of that language, empty in
 * English), for buildPanelHtml: webviews have no `vscode.l10n`, so the host hands them its strings.
 */
export function webviewL10n(): { language: string; strings: Record<string, string> } {
  return { language: vscode.env.language, strings: vscode.l10n.bundle ?? {} };
}
