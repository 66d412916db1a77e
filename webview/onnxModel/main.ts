// The .onnx model view: what the host read from the file (inputs, outputs, ops, initializers,
// layers), whether Model Lab can fine-tune it, and buttons to check the model or scaffold a
// fine-tuning experiment. Everything shown comes from the host as text (textContent only).
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import type { CompatibilityReport, OnnxModelSummary } from '../../src/contract/onnxModel';
import {
  type OnnxModelActionMessage,
  type OnnxModelFromWebview,
  type OnnxModelToWebview,
  isOnnxModelToWebview,
} from '../../src/protocol/onnxModelView';
import '../shared/elements';
import { connectToHost } from '../shared/hostChannel';
import { checkLines, evaluationLine, formatCount, formatDims, importStatus, memoryLine } from './format';

const root = document.getElementById('root') as HTMLElement;
/** Tables longer than this start folded, so a large model's view opens on its overview. */
const FOLD_ROWS = 50;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function withTestId<T extends HTMLElement>(node: T, testId: string): T {
  node.dataset.testid = testId;
  return node;
}

function table(headings: string[], rows: string[][], testId: string): HTMLTableElement {
  const t = withTestId(element('table'), testId);
  const head = element('tr');
  head.append(...headings.map((h) => element('th', h)));
  t.append(head);
  for (const cells of rows) {
    const tr = element('tr');
    tr.append(...cells.map((c, i) => element('td', c, i === 0 ? 'values' : undefined)));
    t.append(tr);
  }
  return t;
}

/** A titled section; long ones fold (details/summary), short ones open. */
function section(title: string, content: HTMLElement, rows: number): HTMLElement {
  const details = element('details');
  details.open = rows <= FOLD_ROWS;
  details.append(element('summary', title), content);
  return details;
}

function button(label: string, testId: string, type: OnnxModelActionMessage['type'], enabled: boolean) {
  const b = withTestId(element('vscode-button', label), testId);
  if (!enabled) b.setAttribute('disabled', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) channel.post({ type });
  });
  return b;
}

const checkArea = withTestId(element('section'), 'check');
const evaluationArea = withTestId(element('section'), 'evaluation');

function showModel(file: string, summary: OnnxModelSummary): void {
  const status = importStatus(summary);
  const memory = memoryLine(summary);
  const tensors = [
    ...summary.inputs.map((v) => [v.name, l10n.t('input'), v.dtype, formatDims(v.dims)]),
    ...summary.outputs.map((v) => [v.name, l10n.t('output'), v.dtype, formatDims(v.dims)]),
  ];
  const ops = summary.ops.map((op) => [
    op.opType,
    String(op.nodes.length),
    op.supported ? l10n.t('supported') : l10n.t('not supported: {0}', op.reason ?? ''),
  ]);
  const initializers = summary.initializers.map((i) => [
    i.name,
    formatDims(i.dims),
    formatCount(i.size),
    i.trainable ? l10n.t('trains') : l10n.t('fixed'),
  ]);
  const layers = summary.layers.map((l, k) => [String(k + 1), l.name, l.opType, l.initializers.join(', ')]);
  const buttons = element('p', undefined, 'buttons');
  buttons.append(
    button(l10n.t('Check'), 'check-button', 'onnxModel/check', true),
    button(l10n.t('Evaluate on data…'), 'evaluate-button', 'onnxModel/evaluate', status.ok),
    button(l10n.t('Fine-tune…'), 'fine-tune-button', 'onnxModel/fineTune', status.ok),
  );
  checkArea.replaceChildren();
  evaluationArea.replaceChildren();
  root.replaceChildren(
    element('h1', file),
    withTestId(
      element(
        'p',
        summary.producer
          ? l10n.t('ONNX opset {0} · exported by {1}', summary.opset, summary.producer)
          : l10n.t('ONNX opset {0}', summary.opset),
      ),
      'origin',
    ),
    withTestId(element('p', status.text, status.ok ? 'status-ok' : 'status-error'), 'import-status'),
    ...(memory === undefined ? [] : [withTestId(element('p', memory), 'memory')]),
    buttons,
    checkArea,
    evaluationArea,
    section(
      l10n.t('Inputs and outputs'),
      table([l10n.t('Name'), l10n.t('Role'), l10n.t('Type'), l10n.t('Shape')], tensors, 'tensors'),
      tensors.length,
    ),
    section(
      l10n.t('Ops ({0})', summary.ops.length),
      table([l10n.t('Op'), l10n.t('Nodes'), 'Model Lab'], ops, 'ops'),
      ops.length,
    ),
    section(
      l10n.t(
        'Initializers ({0}): {1} parameter values, {2} trained',
        summary.initializers.length,
        formatCount(summary.parameterCount),
        formatCount(summary.trainableCount),
      ),
      table(
        [l10n.t('Name'), l10n.t('Shape'), l10n.t('Values'), l10n.t('Fine-tuning')],
        initializers,
        'initializers',
      ),
      initializers.length,
    ),
    section(
      l10n.t('Layers in graph order ({0})', summary.layers.length),
      table(['#', l10n.t('Node'), l10n.t('Op'), l10n.t('Weights')], layers, 'layers'),
      layers.length,
    ),
  );
}

function showCheck(report: CompatibilityReport): void {
  const { ok, verdict, details } = checkLines(report);
  const list = element('ul');
  list.append(...details.map((line) => element('li', line)));
  checkArea.replaceChildren(
    withTestId(element('p', verdict, ok ? 'status-ok' : 'status-error'), 'check-status'),
    list,
  );
}

function render(message: OnnxModelToWebview): void {
  switch (message.type) {
    case 'onnxModel/show':
      showModel(message.file, message.summary);
      return;
    case 'onnxModel/unreadable':
      root.replaceChildren(
        element('h1', message.file),
        withTestId(
          element('p', l10n.t('Model Lab cannot read this file: {0}', message.message), 'status-error'),
          'import-status',
        ),
      );
      return;
    case 'onnxModel/checking':
      checkArea.replaceChildren(
        withTestId(
          element(
            'p',
            l10n.t('Checking in the training process: import, forward against onnxruntime, gradients…'),
          ),
          'check-status',
        ),
      );
      return;
    case 'onnxModel/checked':
      showCheck(message.report);
      return;
    case 'onnxModel/checkFailed':
      checkArea.replaceChildren(
        withTestId(
          element('p', l10n.t('The check could not run: {0}', message.message), 'status-error'),
          'check-status',
        ),
      );
      return;
    case 'onnxModel/evaluating':
      evaluationArea.replaceChildren(
        element('p', l10n.t('Evaluating on {0} in the training process…', message.data)),
      );
      return;
    case 'onnxModel/evaluated':
      evaluationArea.replaceChildren(
        element(
          'p',
          l10n.t(
            'The model as it is, on every example of the data (CSV features as written there, unscaled; images scaled to 0–1):',
          ),
        ),
        withTestId(
          element('p', evaluationLine(message.data, message.evaluation), 'values'),
          'evaluation-scores',
        ),
      );
      return;
    case 'onnxModel/evaluateFailed':
      evaluationArea.replaceChildren(
        withTestId(
          element('p', l10n.t('Cannot evaluate on {0}: {1}', message.data, message.message), 'status-error'),
          'evaluation-scores',
        ),
      );
      return;
  }
}

const channel = connectToHost<OnnxModelToWebview, OnnxModelFromWebview>(isOnnxModelToWebview, render);
