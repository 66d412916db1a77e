/**
 * Evaluation view: test-split report of one run (eval.json). Accuracy and loss,
 * per-class precision / recall / F1, and the confusion matrix as a heatmap with
 * counts and hover text; perplexity and a generated sample for language models;
 * RMSE, R², MAE and a predicted-vs-actual scatter for regression.
 */
import {
  isEvalReportMessage,
  type EvaluationToHost,
  type HostToEvaluation,
} from '../../src/protocol/evaluationPanel';
import type { SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { EvalReport } from '../../src/contract/evalReport';
import { METRICS } from '../../src/contract/metrics';
import { connectToHost } from '../shared/hostChannel';
import { h, onThemeChange, themeColor, withAlpha } from '../shared/theme';
import { confusionCells } from './confusion';
import { scatterCard, type ScatterCard } from './scatterChart';
import { formatValue } from './scatterData';

const root = h('main', { id: 'evaluation' }, h('p', { class: 'hint' }, 'Loading…'));
document.body.append(root);
let last: HostToEvaluation | undefined;
/** The scatter's chart.js instance, destroyed before each re-render. */
let scatter: ScatterCard | undefined;

const channel = connectToHost<HostToEvaluation, EvaluationToHost, SingleRunPanelState>(
  isEvalReportMessage,
  (m) => {
    last = m;
    channel.setState({ runDir: m.run.runDir });
    render(m);
  },
);
onThemeChange(() => last && render(last));

function render(message: HostToEvaluation): void {
  scatter?.destroy();
  scatter = undefined;
  const title = h('h1', {}, `Evaluation — ${message.run.label}`);
  if (!message.report) {
    root.replaceChildren(
      title,
      h('p', { class: 'message', id: 'no-report' }, message.message ?? 'No evaluation yet.'),
    );
    return;
  }
  const report = message.report;
  root.replaceChildren(
    title,
    h('p', { class: 'hint' }, `Test split, ${report.count.toLocaleString()} examples.`),
    stats(report),
    ...(report.mae !== undefined
      ? [h('p', { class: 'hint', id: 'units' }, regressionUnits(report).note)]
      : []),
    ...(report.classes ? [h('h2', {}, 'Per class'), classTable(report)] : []),
    ...(report.confusion ? [h('h2', {}, 'Confusion matrix'), confusion(report)] : []),
    ...(report.sample !== undefined
      ? [h('h2', {}, 'Generated sample'), h('pre', { class: 'sample', id: 'sample' }, report.sample)]
      : []),
  );
  if (report.predictions) {
    scatter = scatterCard(report.predictions, report.count, regressionUnits(report).axis);
    root.append(scatter.element);
  }
}

/** What regression errors are measured in, for the stats' note and the scatter's axis titles. */
function regressionUnits(report: EvalReport): { axis: string; note: string } {
  if (report.units === 'data') {
    return {
      axis: ' (target units)',
      note: "MAE, RMSE and the plot are in the target column's own units (any scaling the data loader applied is undone). The loss is the training objective, on the targets as the model was trained on them.",
    };
  }
  if (report.units === 'scaled') {
    return { axis: ' (scaled)', note: "MAE, RMSE and the plot are in the data loader's scaled units." };
  }
  return {
    axis: '',
    note: 'Units not recorded: this report comes from an older version, whose series runs reported errors in scaled units.',
  };
}

interface Stat {
  id: string;
  label: string;
  value: string;
  /** Full name on hover, for abbreviated labels. */
  title?: string;
}

function stats(report: EvalReport): HTMLElement {
  const items: Stat[] = [];
  const { accuracy, rmse, r2, mae, perplexity } = report;
  if (accuracy !== undefined)
    items.push({ id: 'accuracy', label: 'accuracy', value: `${(accuracy * 100).toFixed(2)}%` });
  // Abbreviated labels carry their full name on hover (contract/metrics.ts).
  const stat = (id: 'rmse' | 'r2' | 'mae', value: string): Stat => ({
    id,
    label: METRICS[id].label,
    value,
    title: METRICS[id].title,
  });
  if (rmse !== undefined) items.push(stat('rmse', formatValue(rmse)));
  if (r2 !== undefined) items.push(stat('r2', r2.toFixed(4)));
  if (mae !== undefined) items.push(stat('mae', formatValue(mae)));
  items.push({ id: 'loss', label: 'loss', value: report.loss.toFixed(4) });
  if (perplexity !== undefined)
    items.push({ id: 'perplexity', label: 'perplexity', value: perplexity.toFixed(2) });
  return h(
    'div',
    { class: 'stats' },
    ...items.map(({ id, label, value, title }) =>
      h(
        'div',
        { class: 'stat', id: `stat-${id}`, ...(title ? { title } : {}) },
        h('span', { class: 'value' }, value),
        h('span', { class: 'label' }, label),
      ),
    ),
  );
}

function classTable(report: EvalReport): HTMLElement {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const columns = ['class', 'precision', 'recall', 'F1', 'support'];
  const header = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)));
  const rows = (report.classes ?? []).map((c) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, c.label),
      h('td', {}, pct(c.precision)),
      h('td', {}, pct(c.recall)),
      h('td', {}, pct(c.f1)),
      h('td', {}, String(c.support)),
    ),
  );
  return h('table', { id: 'classes' }, h('thead', {}, header), h('tbody', {}, ...rows));
}

function confusion(report: EvalReport): HTMLElement {
  const matrix = report.confusion ?? [];
  const labels = report.classes?.map((c) => c.label) ?? matrix.map((_, i) => String(i));
  const grid = h('div', {
    class: 'confusion',
    id: 'confusion',
    role: 'table',
    'aria-label': 'Confusion matrix: rows are the true class, columns the predicted class',
  });
  grid.style.gridTemplateColumns = `auto repeat(${matrix.length}, minmax(34px, auto))`;
  const base = themeColor('charts-blue', '#3794ff');
  const text = themeColor('foreground', '#cccccc');
  const onDark = themeColor('editor-background', '#1e1e1e');
  grid.append(h('span', { class: 'axis', role: 'columnheader' }, 'true ↓ / predicted →'));
  for (const label of labels) grid.append(h('span', { class: 'axis', role: 'columnheader' }, label));
  for (const cell of confusionCells(matrix, labels)) {
    if (cell.predictedIndex === 0) {
      grid.append(
        h(
          'span',
          { class: 'axis row-label', role: 'rowheader' },
          labels[cell.trueIndex] ?? String(cell.trueIndex),
        ),
      );
    }
    const el = h(
      'span',
      { class: 'cell', role: 'cell', tabindex: '0', title: cell.hover, 'aria-label': cell.hover },
      String(cell.count),
    );
    el.style.background = withAlpha(base, 0.06 + 0.94 * cell.rowShare);
    el.style.color = cell.rowShare > 0.55 ? onDark : text;
    grid.append(el);
  }
  return grid;
}
