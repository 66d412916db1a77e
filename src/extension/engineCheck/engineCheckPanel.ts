import * as vscode from 'vscode';
import {
  type EngineCheckFromWebview,
  type EngineCheckToWebview,
  isEngineCheckFromWebview,
} from '../../protocol/engineCheckPanel';
import { Disposable } from '../lifecycle';
import { ReadyThenFlushBuffer } from '../webview/messageBuffer';
import { panelPageHtml } from '../webview/panelPage';
import { panelWebviewOptions } from '../webview/webviewAssets';

/** The Check Engine panel: one at a time, shows what the forked training process reported. */
export class EngineCheckPanel extends Disposable {
  static readonly viewType = 'modelLab.engineCheck';
  private static current: EngineCheckPanel | undefined;

  private readonly buffer: ReadyThenFlushBuffer<EngineCheckToWebview>;

  /** Reveals the open panel or creates one; `onRerun` runs when the user presses "Run again". */
  static createOrShow(extensionUri: vscode.Uri, onRerun: () => void): EngineCheckPanel {
    if (EngineCheckPanel.current) {
      EngineCheckPanel.current.panel.reveal();
      return EngineCheckPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      EngineCheckPanel.viewType,
      vscode.l10n.t('Model Lab: Engine Check'),
      vscode.ViewColumn.Active,
      panelWebviewOptions(extensionUri),
    );
    EngineCheckPanel.current = new EngineCheckPanel(panel, extensionUri, onRerun);
    return EngineCheckPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onRerun: () => void,
  ) {
    super();
    this.buffer = new ReadyThenFlushBuffer((message) => this.panel.webview.postMessage(message));
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this._register(this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this.panel.webview.html = panelPageHtml(this.panel.webview, extensionUri, {
      title: vscode.l10n.t('Engine Check'),
      script: 'engineCheck.js',
      body: '<main id="root" aria-live="polite"></main>',
    });
  }

  post(message: EngineCheckToWebview): void {
    this.buffer.send(message);
  }

  private receive(message: unknown): void {
    if (!isEngineCheckFromWebview(message)) return;
    const known: EngineCheckFromWebview = message;
    if (known.type === 'ready') this.buffer.markReady();
    else this.onRerun();
  }

  override dispose(): void {
    if (EngineCheckPanel.current === this) EngineCheckPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }
}
