/**
 * The .onnx model view: a read-only custom editor that opens every .onnx file. It shows the
 * model's summary (engine/onnx/modelSummary.ts: inputs, outputs, ops, initializers, layers)
 * and offers Check (the compatibility check) and Evaluate on data… (the model's scores on a data
 * file the user picks), both run in a forked training process because the extension host never
 * loads onnxruntime, and Fine-tune… (scaffolds an experiment, as "Import ONNX Model…" does).
 * The view follows the file: a re-export shows the new model.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { summarizeOnnxFile } from '../../experiment/modelSummary';
import { evaluationDataKinds, tokenizerInfo, type EvaluationDataKind } from '../../experiment/onnxExperiment';
import { onnxImporter } from '../../engine/onnxImporter';
import { type OnnxCheckRequest, isOnnxCheckReply } from '../../protocol/onnxCheck';
import { type OnnxEvaluateRequest, isOnnxEvaluateReply } from '../../protocol/onnxEvaluate';
import { type OnnxModelToWebview, isOnnxModelFromWebview } from '../../protocol/onnxModelView';
import { importOnnxModel } from '../experiments/importOnnx';
import { askAxisSizes } from './axisSizes';
import { readTableHead, textColumns } from '../../data/tableHead';
import { inputEncodingOf } from '../../data/importedModel';
import { outputClassNames } from '../../data/modelClasses';
import { tokenizerBeside } from '../../data/textTokenizer';
import { Disposable } from '../lifecycle';
import {
  askTrainingProcess,
  type ReplyReading,
  reportOrFailure,
} from '../trainingProcess/askTrainingProcess';
import { panelPageHtml } from '../webview/panelPage';
import { panelWebviewOptions } from '../webview/webviewAssets';

export const ONNX_MODEL_VIEW_TYPE = 'modelLab.onnxModel';

/**
 * The check builds training graphs and runs finite differences, an evaluation reads a whole data
 * file: seconds for small models and files, minutes for large ones. This only bounds a hang.
 */
const questionTimeoutMs = 600_000;

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

type Question = 'check' | 'evaluate';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

type DataKindItem = vscode.QuickPickItem & { data: EvaluationDataKind; detail: string };

/** How "Evaluate on data…" names each kind of data, as training data is declared (data.source). */
const DATA_KINDS: Record<EvaluationDataKind, () => { label: string; detail: string }> = {
  csv: () => ({
    label: vscode.l10n.t('CSV table'),
    detail: vscode.l10n.t('one example per row; the labels or targets in the column "label", else the last'),
  }),
  images: () => ({
    label: vscode.l10n.t('Folder of images by class'),
    detail: vscode.l10n.t('one subfolder per class, holding PNG or JPEG images'),
  }),
  text: () => ({
    label: vscode.l10n.t('Text file'),
    detail: vscode.l10n.t("a .txt file, read in windows as long as the model's input"),
  }),
};

/** One open view of one .onnx file. */
class OnnxModelView extends Disposable {
  /** What the webview shows, posted again whenever it (re)loads and says ready. */
  private model: OnnxModelToWebview | undefined;
  /** The last state of each question to the training process (running, answered or failed). */
  private readonly answers = new Map<Question, OnnxModelToWebview>();
  private readonly asking = new Set<Question>();
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
    webview.html = panelPageHtml(webview, extensionUri, {
      title: basename(uri.fsPath),
      script: 'onnxModel.js',
      styles: ['onnxModel.css'],
      body: '<main id="root" aria-live="polite"></main>',
    });
  }

  /** Reads and summarizes the file; an unreadable one shows why in the view. */
  private load(): void {
    const file = this.uri.fsPath;
    try {
      const { readOnnxModel, summarizeOnnxModel } = onnxImporter();
      const model = readOnnxModel(readFileSync(file), (location) =>
        readFileSync(join(dirname(file), location)),
      );
      const summary = summarizeOnnxModel(model, (plan) => summarizeOnnxFile(plan, basename(file)).memory);
      const tokenizer = tokenizerInfo(summary, tokenizerBeside(dirname(file)));
      const classes = outputClassNames(model, file);
      const { inputEncoding } = inputEncodingOf(model);
      const tableColumns = inputEncoding && {
        numeric: inputEncoding.numeric,
        categorical: inputEncoding.categorical.map((c) => c.column),
      };
      this.model = {
        type: 'onnxModel/show',
        file: basename(file),
        summary: {
          ...summary,
          ...(tokenizer ? { tokenizer } : {}),
          ...(classes ? { classes } : {}),
          ...(tableColumns ? { tableColumns } : {}),
        },
      };
    } catch (error) {
      this.model = { type: 'onnxModel/unreadable', file: basename(file), message: messageOf(error) };
    }
    // Answers about the file as it was are gone with it.
    this.answers.clear();
    this.post(this.model);
  }

  private post(message: OnnxModelToWebview): void {
    if (this.ready && !this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isOnnxModelFromWebview(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.model) this.post(this.model);
        for (const answer of this.answers.values()) this.post(answer);
        return;
      case 'onnxModel/check':
        void this.check();
        return;
      case 'onnxModel/evaluate':
        void this.evaluate();
        return;
      case 'onnxModel/fineTune':
        void importOnnxModel(this.uri);
        return;
    }
  }

  private check(): Promise<void> {
    const request: OnnxCheckRequest = { type: 'onnxCheck/run', path: this.uri.fsPath };
    return this.ask('check', { type: 'onnxModel/checking' }, request, reportOrFailure(isOnnxCheckReply), {
      answered: (report) => ({ type: 'onnxModel/checked', report }),
      failed: (message) => ({ type: 'onnxModel/checkFailed', message }),
    });
  }

  /**
   * Asks for data (a CSV, a text file or an image folder, as fits the model), and for the length
   * of each named axis the export left open unless a table's columns give it, then scores the
   * model on all of it.
   */
  private async evaluate(): Promise<void> {
    if (this.asking.has('evaluate')) return;
    const picked = await this.pickData();
    if (!picked) return;
    const sizes = await this.askSizes(picked.kind, picked.uri);
    if (!sizes) return;
    const data = basename(picked.uri.fsPath);
    const request: OnnxEvaluateRequest = {
      type: 'onnxEvaluate/run',
      model: this.uri.fsPath,
      data: picked.uri.fsPath,
      ...(Object.keys(sizes).length ? { sizes } : {}),
    };
    return this.ask(
      'evaluate',
      { type: 'onnxModel/evaluating', data },
      request,
      reportOrFailure(isOnnxEvaluateReply),
      {
        answered: (evaluation) => ({ type: 'onnxModel/evaluated', data, evaluation }),
        failed: (message) => ({ type: 'onnxModel/evaluateFailed', data, message }),
      },
    );
  }

  /**
   * The named axes to size for `kind` of data: a table of token ids sizes a single one with its
   * columns; texts read by the tokenizer beside the model are as long as the answer says.
   */
  private askSizes(kind: EvaluationDataKind, data: vscode.Uri): Promise<Record<string, number> | undefined> {
    const summary = this.model?.type === 'onnxModel/show' ? this.model.summary : undefined;
    const axes = summary?.unsizedAxes ?? [];
    const texts = kind === 'csv' && this.readsTexts(data);
    if (!summary || (kind === 'csv' && axes.length === 1 && !texts)) return Promise.resolve({});
    const input = summary.inputs[0];
    const model = basename(this.uri.fsPath);
    return askAxisSizes(axes, {
      title: (axis) => vscode.l10n.t('Evaluate {0}: the size of "{1}"', model, axis),
      prompt: (axis) =>
        texts
          ? vscode.l10n.t(
              '{0} takes {1}, and the file leaves "{2}" open: how many tokens should each text (or pair of texts) be cut or padded to?',
              input.name,
              input.dims.join(' × '),
              axis,
            )
          : kind === 'text'
            ? vscode.l10n.t(
                '{0} takes {1}, and the file leaves "{2}" open: how many tokens should each window of the text hold?',
                input.name,
                input.dims.join(' × '),
                axis,
              )
            : vscode.l10n.t(
                '{0} takes {1}, and the file leaves "{2}" open: how long is it in one example of your data?',
                input.name,
                input.dims.join(' × '),
                axis,
              ),
    });
  }

  /** Whether a table holds texts that the tokenizer saved beside the model reads. */
  private readsTexts(data: vscode.Uri): boolean {
    const head = tokenizerBeside(dirname(this.uri.fsPath)) && readTableHead(data.fsPath);
    return head ? textColumns(head).length > 0 : false;
  }

  /** Which kind of data (when the model takes more than one), then the file or folder of it. */
  private async pickData(): Promise<{ uri: vscode.Uri; kind: EvaluationDataKind } | undefined> {
    const model = this.model?.type === 'onnxModel/show' ? this.model.summary : undefined;
    const kinds = evaluationDataKinds(model?.inputs[0]);
    const items: DataKindItem[] = kinds.map((data) => ({ data, ...DATA_KINDS[data]() }));
    const chosen =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, {
            title: vscode.l10n.t('Evaluate {0} on data', basename(this.uri.fsPath)),
            placeHolder: vscode.l10n.t('What data to score the model on'),
          });
    if (!chosen) return undefined;
    const [picked] =
      (await vscode.window.showOpenDialog({
        canSelectMany: false,
        canSelectFiles: chosen.data !== 'images',
        canSelectFolders: chosen.data === 'images',
        defaultUri: vscode.Uri.file(dirname(this.uri.fsPath)),
        ...(chosen.data === 'images'
          ? {}
          : { filters: { [chosen.label]: chosen.data === 'csv' ? ['csv', 'tsv'] : ['txt'] } }),
        openLabel: vscode.l10n.t('Evaluate'),
        title: vscode.l10n.t('Evaluate {0} on data: {1}', basename(this.uri.fsPath), chosen.detail),
      })) ?? [];
    return picked && { uri: picked, kind: chosen.data };
  }

  /** One question at a time per kind, answered by a forked training process; the view shows each state. */
  private async ask<T>(
    question: Question,
    running: OnnxModelToWebview,
    request: object,
    read: (message: unknown) => ReplyReading<T>,
    show: { answered: (answer: T) => OnnxModelToWebview; failed: (message: string) => OnnxModelToWebview },
  ): Promise<void> {
    if (this.asking.has(question)) return;
    this.asking.add(question);
    this.answers.set(question, running);
    this.post(running);
    let outcome: OnnxModelToWebview;
    try {
      outcome = show.answered(await askTrainingProcess(this.extensionUri, request, read, questionTimeoutMs));
    } catch (error) {
      outcome = show.failed(messageOf(error));
    } finally {
      this.asking.delete(question);
    }
    this.answers.set(question, outcome);
    this.post(outcome);
  }
}
