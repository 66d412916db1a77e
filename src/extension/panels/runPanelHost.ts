import * as vscode from 'vscode';
import { isWebviewReadyMessage } from '../../protocol/webviewReady';
import { Disposable } from '../lifecycle';
import { ReadyThenFlushBuffer } from '../webview/messageBuffer';
import { panelPageHtml } from '../webview/panelPage';
import { panelWebviewOptions } from '../webview/webviewAssets';
import { runPanelColumn, trackRunPanel } from './panelPlacement';

export interface RunPanelSpec {
  viewType: string;
  /** Bundle under dist/webview/, e.g. 'metrics.js'. */
  script: string;
  /** The tab title before the run is known, in the display language. */
  title: () => string;
  /** Stylesheets under media/ besides the shared webview.css and panels.css. */
  styles?: string[];
}

/** Opens a new panel of `spec` in the run panels' group (beside the active editor when it is the first). */
export function createRunWebviewPanel(extensionUri: vscode.Uri, spec: RunPanelSpec): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    spec.viewType,
    spec.title(),
    { viewColumn: runPanelColumn(), preserveFocus: false },
    panelWebviewOptions(extensionUri),
  );
}

/**
 * Shared host half of the run panels: strict-CSP HTML, the ready-then-flush
 * buffer, and validation of every incoming message. The webview document is
 * dropped while the panel is hidden (no retainContextWhenHidden), so each
 * `ready` asks the subclass to send its whole state again.
 *
 * After the first `ready` the host keeps posting whether the panel is visible
 * or not: what a hidden panel misses comes again with the next document's
 * `ready`. Gating posts on view-state events instead could wedge the panel
 * blank, since those events and the new document's `ready` reach the host
 * independently.
 */
export abstract class RunPanelHost<ToWebview> extends Disposable {
  private readonly buffer: ReadyThenFlushBuffer<ToWebview>;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    spec: RunPanelSpec,
  ) {
    super();
    panel.webview.options = panelWebviewOptions(extensionUri);
    panel.title = spec.title();
    this.buffer = new ReadyThenFlushBuffer((message) => panel.webview.postMessage(message));
    this._register(trackRunPanel(panel));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    panel.webview.html = panelPageHtml(panel.webview, extensionUri, {
      title: spec.title(),
      script: spec.script,
      styles: ['panels.css', 'inside.css', ...(spec.styles ?? [])],
    });
  }

  /** False until the first webview document has said `ready` (messages queue until then). */
  protected get isReady(): boolean {
    return this.buffer.isReady;
  }

  protected post(message: ToWebview): void {
    this.buffer.send(message);
  }

  /** The webview (re)loaded: send everything it needs to draw from scratch. */
  protected abstract sendAll(): void | Promise<void>;

  /** A message other than `ready`; implementations validate with the channel's guards and drop the rest. */
  protected abstract receive(message: unknown): void | Promise<void>;

  private onMessage(message: unknown): void {
    if (isWebviewReadyMessage(message)) {
      this.buffer.markReady();
      void this.sendAll();
      return;
    }
    void Promise.resolve(this.receive(message)).catch((error: unknown) => {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Model Lab: {0}', error instanceof Error ? error.message : String(error)),
      );
    });
  }

  override dispose(): void {
    super.dispose();
    this.panel.dispose();
  }
}
