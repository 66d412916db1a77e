/**
 * The .onnx model view: a read-only custom editor that opens every .onnx file. It shows the
 * model's summary (engine/onnx/modelSummary.ts: inputs, outputs, ops, initializers, layers)
 * and offers Check (the compatibility check, run in a forked training process because the
 * extension host never loads onnxruntime) and Fine-tune… (scaffolds an experiment, as
 * "Import ONNX Model…" does). The view follows the file: a re-export shows the new model.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { summarizeOnnxModel } from '../../engine/onnx/modelSummary';
import { readOnnxModel } from '../../engine/onnx/onnxFile';
import { type OnnxCheckRequest, isOnnxCheckReply } from '../../protocol/onnxCheck';
import { type OnnxModelToWebview, isOnnxModelFromWebview } from '../../protocol/onnxModelView';
import { importOnnxModel } from '../experiments/importOnnx';
import { Disposable } from '../lifecycle';
import { askTrainingProcess, reportOrFailure } from '../trainingProcess/askTrainingProcess';
import { createNonce } from '../webview/nonce';
import { buildPanelHtml } from '../webview/panelHtml';
import { distAssetUri, mediaAssetUri, panelWebviewOptions } from '../webview/webviewAssets';

export const ONNX_MODEL_VIEW_TYPE = 'modelLab.onnxModel';

/** The check builds training graphs and runs finite differences: seconds for small models, more for large ones. */
const checkTimeoutMs = 300_000;

export function registerOnnxModelEditor(extensionUri: vscode.Uri): vscode.Disposable[] {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    // The view disposes itself with its panel.
    resolveCustomEditor: (document, panel) => void new OnnxModelView(document.uri, panel, extensionUri),
  };
  return [
    vscode.window.registerCustomEditorProvider(ONNX_MODEL_VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
    }),
  ];
}

/** One open view of one .onnx file. */
class OnnxModelView extends Disposable {
  /** What the webview shows, posted again whenever it (re)loads and says ready. */
  private model: OnnxModelToWebview | undefined;
  private check: OnnxModelToWebview | undefined;
  private checking = false;
  private ready = false;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    const webview = panel.webview;
    webview.options = panelWebviewOptions(extensionUri);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    const watcher = this._register(
      vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)),
      ),
    );
    this._register(watcher.onDidChange(() => this.load()));
    this._register(watcher.onDidCreate(() => this.load()));
    this.load();
    webview.html = buildPanelHtml({
      title: basename(uri.fsPath),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      styles: [mediaAssetUri(webview, extensionUri, 'webview.css')],
      scripts: [distAssetUri(webview, extensionUri, 'webview', 'onnxModel.js')],
      body: '<main id="root" aria-live="polite"></main>',
    });
  }

  /** Reads and summarizes the file; an unreadable one shows why in the view. */
  private load(): void {
    const file = this.uri.fsPath;
    try {
      const model = readOnnxModel(readFileSync(file), (location) =>
        readFileSync(join(dirname(file), location)),
      );
      this.model = { type: 'onnxModel/show', file: basename(file), summary: summarizeOnnxModel(model) };
    } catch (error) {
      this.model = {
        type: 'onnxModel/unreadable',
        file: basename(file),
        message: error instanceof Error ? error.message : String(error),
      };
    }
    this.check = undefined;
    this.post(this.model);
  }

  private post(message: OnnxModelToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isOnnxModelFromWebview(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.model) this.post(this.model);
        if (this.check) this.post(this.check);
        return;
      case 'onnxModel/check':
        void this.runCheck();
        return;
      case 'onnxModel/fineTune':
        void importOnnxModel(this.uri);
        return;
    }
  }

  private async runCheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.check = { type: 'onnxModel/checking' };
    this.post(this.check);
    const request: OnnxCheckRequest = { type: 'onnxCheck/run', path: this.uri.fsPath };
    try {
      const report = await askTrainingProcess(
        this.extensionUri,
        request,
        reportOrFailure(isOnnxCheckReply),
        checkTimeoutMs,
      );
      this.check = { type: 'onnxModel/checked', report };
    } catch (error) {
      this.check = {
        type: 'onnxModel/checkFailed',
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      this.checking = false;
    }
    if (!this.isDisposed && this.check) this.post(this.check);
  }
}
