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
import { classTable } from '../shared/classTable';
import { connectToHost } from '../shared/hostChannel';
import { h } from '../shared/theme';
import {
  checkLines,
  evaluationLine,
  formatCount,
  formatDims,
  importStatus,
  inputRole,
  outputRole,
  memoryLine,
} from './format';

const root = document.getElementById('root') as HTMLElement;
/** Tables longer than this start folded, so a large model's view opens on its overview. */
const FOLD_ROWS = 50;

function table(headings: string[], rows: string[][], testId: string): HTMLTableElement {
  return h(
    'table',
    { 'data-testid': testId },
    h('tr', {}, ...headings.map((heading) => h('th', {}, heading))),
    ...rows.map((cells) =>
      h('tr', {}, ...cells.map((cell, i) => h('td', i === 0 ? { class: 'values' } : {}, cell))),
    ),
  );
}

/** A titled section; long ones fold (details/summary), short ones open. */
function section(title: string, content: HTMLElement, rows: number): HTMLElement {
  const details = h('details', {}, h('summary', {}, title), content);
  details.open = rows <= FOLD_ROWS;
  return details;
}

function button(label: string, testId: string, type: OnnxModelActionMessage['type'], enabled: boolean) {
  const b = h('vscode-button', { 'data-testid': testId }, label);
  if (!enabled) b.setAttribute('disabled', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) channel.post({ type });
  });
  return b;
}

const checkArea = h('section', { 'data-testid': 'check' });
const evaluationArea = h('section', { 'data-testid': 'evaluation' });

function showModel(file: string, summary: OnnxModelSummary): void {
  const status = importStatus(summary);
  const memory = memoryLine(summary);
  const tensors = [
    ...summary.inputs.map((v) => [v.name, inputRole(summary, v.name), v.dtype, formatDims(v.dims)]),
    ...summary.outputs.map((v) => [v.name, outputRole(summary, v.name), v.dtype, formatDims(v.dims)]),
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
  const buttons = h(
    'p',
    { class: 'buttons' },
    button(l10n.t('Check'), 'check-button', 'onnxModel/check', true),
    button(l10n.t('Evaluate on data…'), 'evaluate-button', 'onnxModel/evaluate', status.ok),
    button(l10n.t('Fine-tune…'), 'fine-tune-button', 'onnxModel/fineTune', status.ok),
  );
  checkArea.replaceChildren();
  evaluationArea.replaceChildren();
  root.replaceChildren(
    h('h1', {}, file),
    h(
      'p',
      { 'data-testid': 'origin' },
      summary.producer
        ? l10n.t('ONNX opset {0} · exported by {1}', summary.opset, summary.producer)
        : l10n.t('ONNX opset {0}', summary.opset),
    ),
    h('p', { class: status.ok ? 'status-ok' : 'status-error', 'data-testid': 'import-status' }, status.text),
    ...(memory === undefined ? [] : [h('p', { 'data-testid': 'memory' }, memory)]),
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
  checkArea.replaceChildren(
    h('p', { class: ok ? 'status-ok' : 'status-error', 'data-testid': 'check-status' }, verdict),
    h('ul', {}, ...details.map((line) => h('li', {}, line))),
  );
}

function render(message: OnnxModelToWebview): void {
  switch (message.type) {
    case 'onnxModel/show':
      showModel(message.file, message.summary);
      return;
    case 'onnxModel/unreadable':
      root.replaceChildren(
        h('h1', {}, message.file),
        h(
          'p',
          { class: 'status-error', 'data-testid': 'import-status' },
          l10n.t('Model Lab cannot read this file: {0}', message.message),
        ),
      );
      return;
    case 'onnxModel/checking':
      checkArea.replaceChildren(
        h(
          'p',
          { 'data-testid': 'check-status' },
          l10n.t('Checking in the training process: import, forward against onnxruntime, gradients…'),
        ),
      );
      return;
    case 'onnxModel/checked':
      showCheck(message.report);
      return;
    case 'onnxModel/checkFailed':
      checkArea.replaceChildren(
        h(
          'p',
          { class: 'status-error', 'data-testid': 'check-status' },
          l10n.t('The check could not run: {0}', message.message),
        ),
      );
      return;
    case 'onnxModel/evaluating':
      evaluationArea.replaceChildren(
        h('p', {}, l10n.t('Evaluating on {0} in the training process…', message.data)),
      );
      return;
    case 'onnxModel/evaluated':
      evaluationArea.replaceChildren(
        h(
          'p',
          {},
          l10n.t(
            'The model as it is, on every example of the data (CSV features as written there, unscaled; images scaled to 0–1):',
          ),
        ),
        h(
          'p',
          { class: 'values', 'data-testid': 'evaluation-scores' },
          evaluationLine(message.data, message.evaluation),
        ),
        ...(message.evaluation.classes?.length ? [classTable(message.evaluation.classes)] : []),
      );
      return;
    case 'onnxModel/evaluateFailed':
      evaluationArea.replaceChildren(
        h(
          'p',
          { class: 'status-error', 'data-testid': 'evaluation-scores' },
          l10n.t('Cannot evaluate on {0}: {1}', message.data, message.message),
        ),
      );
      return;
  }
}

const channel = connectToHost<OnnxModelToWebview, OnnxModelFromWebview>(isOnnxModelToWebview, render);
