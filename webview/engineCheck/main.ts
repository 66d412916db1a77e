// Check Engine panel: shows what the forked training process computed with
// onnxruntime-node, next to the same formula computed in JavaScript.
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import type { EngineCheckReport } from '../../src/protocol/engineCheck';
import {
  type EngineCheckFromWebview,
  type EngineCheckToWebview,
  isEngineCheckToWebview,
} from '../../src/protocol/engineCheckPanel';
import { connectToHost } from '../shared/hostChannel';
import { h } from '../shared/theme';
import { formatShape, formatTensor } from './render';

const root = document.getElementById('root') as HTMLElement;

function row(label: string, value: string, testId: string): HTMLTableRowElement {
  return h('tr', {}, h('th', {}, label), h('td', { class: 'values', 'data-testid': testId }, value));
}

function rerunButton(): HTMLButtonElement {
  const button = h('button', {}, l10n.t('Run again'));
  button.addEventListener('click', () => channel.post({ type: 'engineCheck/rerun' }));
  return button;
}

function showReport(report: EngineCheckReport): void {
  const ok = report.maxAbsError <= 1e-5;
  const status = h(
    'p',
    { class: ok ? 'status-ok' : 'status-error', 'data-testid': 'status' },
    ok
      ? l10n.t('onnxruntime-node ran the graph and matches JavaScript.')
      : l10n.t('onnxruntime-node disagrees with JavaScript!'),
  );
  const table = h(
    'table',
    {},
    row(l10n.t('ONNX Runtime'), report.ortVersion, 'ort-version'),
    row(l10n.t('Device'), report.device, 'device'),
    row('Node.js', report.nodeVersion, 'node-version'),
    row(l10n.t('Graph'), report.graph, 'graph'),
    ...Object.entries(report.inputs).map(([name, tensor]) =>
      row(`${name} (${formatShape(tensor.dims)})`, formatTensor(tensor), `input-${name}`),
    ),
    row(l10n.t('Output Y ({0})', formatShape(report.output.dims)), formatTensor(report.output), 'output'),
    row(l10n.t('Expected (JavaScript)'), formatTensor(report.expected), 'expected'),
    row(l10n.t('Max abs. error'), report.maxAbsError.toExponential(2), 'max-error'),
  );
  root.replaceChildren(h('h1', {}, l10n.t('Engine Check')), status, table, rerunButton());
}

function render(message: EngineCheckToWebview): void {
  switch (message.type) {
    case 'engineCheck/running':
      root.replaceChildren(
        h('h1', {}, l10n.t('Engine Check')),
        h('p', {}, l10n.t('Running a graph in the training process…')),
      );
      return;
    case 'engineCheck/show':
      showReport(message.report);
      return;
    case 'engineCheck/failed': {
      const status = h('p', { class: 'status-error', 'data-testid': 'status' }, message.message);
      root.replaceChildren(h('h1', {}, l10n.t('Engine Check')), status, rerunButton());
      return;
    }
  }
}

const channel = connectToHost<EngineCheckToWebview, EngineCheckFromWebview>(isEngineCheckToWebview, render);
