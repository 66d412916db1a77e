/**
 * The metrics panel's two tabs, Charts and Model. The Model tab shows the run's model summary:
 * each layer's output shape, parameters and FLOPs per example, the totals and the estimated
 * training memory. Switching tabs sets `data-tab` on the body; panels.css hides what belongs
 * to the other tab, so the charts keep their canvases (and zoom) while hidden.
 */
import * as l10n from '@vscode/l10n';
import type { ModelSummary } from '../../src/contract/modelSummary';
import {
  formatBytes,
  formatCount,
  formatFlops,
  SUMMARY_COLUMNS,
  summaryRows,
} from '../../src/contract/modelSummaryText';
import type { ModelSummaryMessage } from '../../src/protocol/metricsPanel';
import { h } from '../shared/theme';

export type PanelTab = 'charts' | 'model';

export class ModelTab {
  readonly tabs: HTMLElement;
  readonly view = h('section', {
    class: 'model-view',
    id: 'model-view',
    role: 'tabpanel',
    'aria-labelledby': 'tab-model',
  });
  private readonly buttons: Record<PanelTab, HTMLButtonElement>;

  constructor() {
    const tab = (id: PanelTab, label: string) => {
      const button = h(
        'button',
        { class: 'tab', id: `tab-${id}`, role: 'tab', 'data-testid': `tab-${id}` },
        label,
      );
      button.addEventListener('click', () => this.select(id));
      return button;
    };
    this.buttons = { charts: tab('charts', l10n.t('Charts')), model: tab('model', l10n.t('Model')) };
    this.tabs = h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': l10n.t('Panel view') },
      ...Object.values(this.buttons),
    );
    this.view.append(h('p', { class: 'empty' }, l10n.t('Reading the model…')));
  }

  select(tab: PanelTab): void {
    document.body.dataset.tab = tab;
    for (const [id, button] of Object.entries(this.buttons)) {
      button.setAttribute('aria-selected', String(id === tab));
      button.tabIndex = id === tab ? 0 : -1;
    }
  }

  show(message: ModelSummaryMessage): void {
    this.view.replaceChildren(
      ...(message.summary
        ? summaryView(message.summary)
        : [h('p', { class: 'message' }, message.message ?? '')]),
    );
  }
}

function summaryView(summary: ModelSummary): HTMLElement[] {
  const { memory } = summary;
  const stat = (value: string, label: string, testId: string) =>
    h(
      'div',
      { class: 'stat' },
      h('span', { class: 'value', 'data-testid': testId }, value),
      h('span', { class: 'label' }, label),
    );
  const table = h(
    'table',
    { class: 'model-table', 'data-testid': 'model-table' },
    h('thead', {}, h('tr', {}, ...SUMMARY_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...summaryRows(summary).map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell)))),
    ),
  );
  const shape = JSON.stringify(summary.inputShape).replace(/,/g, ', ');
  const input = summary.onnx
    ? l10n.t('Input {0}, imported from {1}', shape, summary.onnx)
    : l10n.t('Input {0}', shape);
  return [
    h(
      'div',
      { class: 'stats' },
      stat(formatCount(summary.totalParams), l10n.t('parameters'), 'total-params'),
      stat(formatFlops(summary.totalFlops), l10n.t('FLOPs per example'), 'total-flops'),
      stat(
        formatBytes(memory.totalBytes),
        l10n.t('to train at batch {0} (estimate)', memory.batchSize),
        'train-memory',
      ),
    ),
    h('p', { class: 'hint' }, input),
    table,
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        "Memory: {0} for weights, gradients and optimizer state; {1} for the batch's activations and their gradients. FLOPs count matrix products and convolutions, a multiply-add as 2.",
        formatBytes(memory.parameterBytes),
        formatBytes(memory.activationBytes),
      ),
    ),
  ];
}
