/**
 * A Model Lab panel's page as every panel builds it: the base stylesheet (media/webview.css)
 * then the panel's own, its bundle from dist/webview/, VS Code's display language with the
 * extension's translations, and a fresh nonce for the strict CSP (panelHtml.ts).
 */
import type * as vscode from 'vscode';
import { createNonce } from './nonce';
import { buildPanelHtml } from './panelHtml';
import { distAssetUri, mediaAssetUri, webviewL10n } from './webviewAssets';

export interface PanelPage {
  /** The document title, in the display language. */
  readonly title: string;
  /** The bundle under dist/webview/, e.g. 'metrics.js'. */
  readonly script: string;
  /** Stylesheets under media/ after webview.css, in order. */
  readonly styles?: readonly string[];
  /** Static markup for the body; the script fills in the rest. Trusted, never user data. */
  readonly body?: string;
}

export function panelPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PanelPage): string {
  return buildPanelHtml({
    title: page.title,
    ...webviewL10n(),
    cspSource: webview.cspSource,
    nonce: createNonce(),
    styles: ['webview.css', ...(page.styles ?? [])].map((style) =>
      mediaAssetUri(webview, extensionUri, style),
    ),
    scripts: [distAssetUri(webview, extensionUri, 'webview', page.script)],
    body: page.body,
  });
}
