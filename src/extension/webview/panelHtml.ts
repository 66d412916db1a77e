// The one way every Model Lab panel builds its HTML. Pure (no `vscode` import):
// the caller passes the webview's `cspSource` and asset URIs already converted
// with `asWebviewUri` (see webviewAssets.ts), so this is unit-tested in plain Node.
import { WEBVIEW_STRINGS_ELEMENT_ID } from '../../protocol/webviewStrings';

export interface PanelHtmlOptions {
  /** Shown as the document title (the tab title comes from the panel itself). */
  readonly title: string;
  /** `webview.cspSource`: the origin allowed to serve styles, images and fonts. */
  readonly cspSource: string;
  /** From createNonce(); a new one per rendering. */
  readonly nonce: string;
  /** Script URIs (webview URIs of dist/ bundles), loaded in order as classic scripts. */
  readonly scripts: readonly string[];
  /** Stylesheet URIs (webview URIs under media/ or dist/). */
  readonly styles?: readonly string[];
  /** Static markup for the body; the script fills in the rest. Trusted, never user data. */
  readonly body?: string;
  /** VS Code's display language (`vscode.env.language`): the document's `lang`, and the locale of Intl formats. */
  readonly language: string;
  /** Translations of the webview's strings (the extension's l10n bundle); empty in English. */
  readonly strings: Readonly<Record<string, string>>;
}

/**
 * JSON that is safe inside a `<script type="application/json">` data block: `<` escaped, so no text
 * can close the element. A data block is not executed, so it needs no nonce.
 */
function jsonDataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The strict Content-Security-Policy: nothing by default; scripts only with the
 * nonce; styles from the extension's own files or with the nonce; images and fonts
 * from the extension's own files (images also as data: URLs, for canvas exports).
 * No remote content, no inline handlers, no eval.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML content or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => htmlEscapes[ch]);
}

export function buildPanelHtml(options: PanelHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  const styles = (options.styles ?? [])
    .map((href) => `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(href)}">`)
    .join('\n    ');
  const scripts = options.scripts
    .map((src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.language)}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(options.title)}</title>
    ${styles}
  </head>
  <body>
    ${options.body ?? ''}
    <script type="application/json" id="${WEBVIEW_STRINGS_ELEMENT_ID}">${jsonDataBlock(options.strings)}</script>
    ${scripts}
  </body>
</html>`;
}
