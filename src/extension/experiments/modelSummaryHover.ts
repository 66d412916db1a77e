/**
 * The model summary in the editor: hovering an experiment's `"model"` key shows each layer's
 * output shape, parameters and FLOPs per example with the totals and the estimated training
 * memory; a CodeLens on that line gives the totals and opens the same hover. Computed from the
 * document's text (the unsaved edit included) once per document version; a file with errors
 * gets neither (its diagnostics say what to fix).
 */
import { dirname } from 'node:path';
import { findNodeAtLocation, getLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { ModelSummary } from '../../contract/modelSummary';
import { summarizeExperiment } from '../../experiment/modelSummary';
import { formatBytes, formatCount, formatFlops, summaryRows } from '../../contract/modelSummaryText';
import { validateExperimentText } from '../../experiment/validate';
import { isExperimentDocument } from './experimentFiles';

export const SHOW_MODEL_SUMMARY_COMMAND = 'modelLab.showModelSummary';

/**
 * The summary of each open experiment, remembered for its current version (and data) only. An
 * imported model's new last layer takes its size from the data, once validation has read it
 * (`outputShapeOf`); until then the summary shows the file's own.
 */
export class ModelSummaries {
  private readonly cache = new Map<
    string,
    { version: number; outputShape: string; summary: ModelSummary | undefined }
  >();

  constructor(private readonly outputShapeOf: (document: vscode.TextDocument) => number[] | undefined) {}

  of(document: vscode.TextDocument): ModelSummary | undefined {
    const key = document.uri.toString();
    const outputShape = this.outputShapeOf(document);
    const shapeKey = JSON.stringify(outputShape ?? null);
    const cached = this.cache.get(key);
    if (cached?.version === document.version && cached.outputShape === shapeKey) return cached.summary;
    const summary = compute(document, outputShape);
    this.cache.set(key, { version: document.version, outputShape: shapeKey, summary });
    return summary;
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }
}

function compute(document: vscode.TextDocument, outputShape: number[] | undefined): ModelSummary | undefined {
  const dir = dirname(document.uri.fsPath);
  try {
    const { experiment } = validateExperimentText(document.getText(), dir);
    return experiment ? summarizeExperiment(experiment, dir, outputShape) : undefined;
  } catch {
    // What stops the summary (an unreadable ONNX file, a layer that does not fit) is already a diagnostic.
    return undefined;
  }
}

/** The range of the `"model"` key, where hover and lens belong. */
function modelKeyRange(document: vscode.TextDocument): vscode.Range | undefined {
  const root = parseTree(document.getText());
  const key = root && findNodeAtLocation(root, ['model'])?.parent?.children?.[0];
  if (!key) return undefined;
  return new vscode.Range(document.positionAt(key.offset), document.positionAt(key.offset + key.length));
}

/** Markdown text: what a layer or node name from a user's file holds is shown, never interpreted. */
const escapeMarkdown = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');

function totalsText(summary: ModelSummary): string {
  return vscode.l10n.t(
    '{0} parameters · {1} FLOPs per example · about {2} to train at batch {3}',
    formatCount(summary.totalParams),
    formatFlops(summary.totalFlops),
    formatBytes(summary.memory.totalBytes),
    summary.memory.batchSize,
  );
}

export function summaryMarkdown(summary: ModelSummary): vscode.MarkdownString {
  const header = [
    '#',
    vscode.l10n.t('Layer'),
    vscode.l10n.t('Output shape'),
    vscode.l10n.t('Params'),
    vscode.l10n.t('FLOPs'),
  ];
  const input = summary.onnx
    ? vscode.l10n.t('Input {0}, from {1}', JSON.stringify(summary.inputShape), summary.onnx)
    : vscode.l10n.t('Input {0}', JSON.stringify(summary.inputShape));
  const lines = [
    `**${escapeMarkdown(vscode.l10n.t('Model summary'))}** — ${escapeMarkdown(input)}`,
    '',
    `| ${header.join(' | ')} |`,
    '|--:|:--|:--|--:|--:|',
    ...summaryRows(summary).map((row) => `| ${row.map(escapeMarkdown).join(' | ')} |`),
    '',
    escapeMarkdown(totalsText(summary)),
  ];
  return new vscode.MarkdownString(lines.join('\n'));
}

export class ModelSummaryHoverProvider implements vscode.HoverProvider {
  constructor(private readonly summaries: ModelSummaries) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!isExperimentDocument(document)) return undefined;
    const location = getLocation(document.getText(), document.offsetAt(position));
    if (!location.isAtPropertyKey || location.path.length !== 1 || location.path[0] !== 'model')
      return undefined;
    const summary = this.summaries.of(document);
    return summary && new vscode.Hover(summaryMarkdown(summary), modelKeyRange(document));
  }
}

export class ModelSummaryCodeLensProvider implements vscode.CodeLensProvider {
  /** `validated`: a validation that read the data may change a new last layer's size. */
  constructor(
    private readonly summaries: ModelSummaries,
    readonly onDidChangeCodeLenses: vscode.Event<void>,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isExperimentDocument(document)) return [];
    const range = modelKeyRange(document);
    const summary = range && this.summaries.of(document);
    if (!range || !summary) return [];
    return [
      new vscode.CodeLens(range, {
        title: `$(symbol-structure) ${totalsText(summary)}`,
        tooltip: vscode.l10n.t('Show each layer: output shape, parameters and FLOPs'),
        command: SHOW_MODEL_SUMMARY_COMMAND,
        arguments: [document.uri, range.start],
      }),
    ];
  }
}

/** The lens's command: the cursor onto `"model"`, then the hover there. */
export async function showModelSummary(uri: vscode.Uri, at: vscode.Position): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri);
  const inside = at.translate(0, 1);
  editor.selection = new vscode.Selection(inside, inside);
  await vscode.commands.executeCommand('editor.action.showHover');
}
