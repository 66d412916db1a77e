/**
 * The metrics panel's two tabs, Charts and Model. The Model tab shows the run's model summary:
 * each layer's output shape, parameters and FLOPs per example, the totals and the estimated
 * training memory. Switching tabs sets `data-tab` on the body; panels.css hides what belongs
 * to the other tab, so the charts keep their canvases (and zoom) while hidden.
 */
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
    this.buttons = { charts: tab('charts', 'Charts'), model: tab('model', 'Model') };
    this.tabs = h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': 'Panel view' },
      ...Object.values(this.buttons),
    );
    this.view.append(h('p', { class: 'empty' }, 'Reading the model…'));
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
  const input = `Input ${JSON.stringify(summary.inputShape).replace(/,/g, ', ')}${summary.onnx ? `, imported from ${summary.onnx}` : ''}`;
  return [
    h(
      'div',
      { class: 'stats' },
      stat(formatCount(summary.totalParams), 'parameters', 'total-params'),
      stat(formatFlops(summary.totalFlops), 'FLOPs per example', 'total-flops'),
      stat(
        formatBytes(memory.totalBytes),
        `to train at batch ${memory.batchSize} (estimate)`,
        'train-memory',
      ),
    ),
    h('p', { class: 'hint' }, input),
    table,
    h(
      'p',
      { class: 'hint' },
      `Memory: ${formatBytes(memory.parameterBytes)} for weights, gradients and optimizer state; ` +
        `${formatBytes(memory.activationBytes)} for the batch's activations and their gradients. ` +
        'FLOPs count matrix products and convolutions, a multiply-add as 2.',
    ),
  ];
}
