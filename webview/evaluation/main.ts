/**
 * Evaluation view: test-split report of one run (eval.json). Accuracy and loss,
 * per-class precision / recall / F1 with macro and weighted averages, the confusion
 * matrix as a heatmap with counts (or row shares) and hover text, and the mistakes
 * gallery its cells filter; perplexity and a generated sample for language models;
 * RMSE, R², MAE and a predicted-vs-actual scatter for regression.
 */
// First: the host's translations are in place before any module below builds text.
import { formatNumber } from '../shared/l10n';
import * as l10n from '@vscode/l10n';
import {
  isEvalReportMessage,
  type EvaluationToHost,
  type HostToEvaluation,
} from '../../src/protocol/evaluationPanel';
import type { SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { EvalReport } from '../../src/contract/evalReport';
import { METRICS } from '../../src/contract/metrics';
import '../shared/elements';
import { connectToHost } from '../shared/hostChannel';
import { metricText } from '../shared/metricText';
import { h, onThemeChange, themeColor, withAlpha } from '../shared/theme';
import { countedClasses } from '../../src/contract/evalReport';
import { classTable } from '../shared/classTable';
import { confusionCells } from './confusion';
import type { MistakeFilter } from './mistakeFilter';
import { MistakesGallery } from './mistakesGallery';
import { scatterCard, type ScatterCard } from './scatterChart';
import { formatValue } from './scatterData';

const root = h('main', { id: 'evaluation' }, h('p', { class: 'hint' }, l10n.t('Loading…')));
document.body.append(root);
let last: HostToEvaluation | undefined;
/** The scatter's chart.js instance, destroyed before each re-render. */
let scatter: ScatterCard | undefined;
/** What the mistakes gallery shows and how the confusion matrix reads; both survive a re-render. */
let mistakeFilter: MistakeFilter = {};
let normalised = false;
let gallery: MistakesGallery | undefined;

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
  gallery = undefined;
  const title = h('h1', {}, l10n.t('Evaluation — {0}', message.run.label));
  if (!message.report) {
    root.replaceChildren(
      title,
      h('p', { class: 'message', id: 'no-report' }, message.message ?? l10n.t('No evaluation yet.')),
    );
    return;
  }
  const report = message.report;
  root.replaceChildren(
    title,
    h('p', { class: 'hint' }, l10n.t('Test split, {0} examples.', formatNumber(report.count))),
    stats(report),
    ...(report.mae !== undefined
      ? [h('p', { class: 'hint', id: 'units' }, regressionUnits(report).note)]
      : []),
    ...(report.classes
      ? [h('h2', {}, l10n.t('Per class')), classTable(report.classes, report.confusion)]
      : []),
    ...(report.confusion
      ? [h('h2', {}, l10n.t('Confusion matrix')), normaliseToggle(), confusion(report)]
      : []),
    ...(report.mistakes ? [mistakesGallery(report)] : []),
    ...(report.sample !== undefined
      ? [h('h2', {}, l10n.t('Generated sample')), h('pre', { class: 'sample', id: 'sample' }, report.sample)]
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
      axis: l10n.t(' (target units)'),
      note: l10n.t(
        "MAE, RMSE and the plot are in the target column's own units (any scaling the data loader applied is undone). The loss is the training objective, on the targets as the model was trained on them.",
      ),
    };
  }
  if (report.units === 'scaled') {
    return {
      axis: l10n.t(' (scaled)'),
      note: l10n.t("MAE, RMSE and the plot are in the data loader's scaled units."),
    };
  }
  return {
    axis: '',
    note: l10n.t(
      'Units not recorded: this report comes from an older version, whose series runs reported errors in scaled units.',
    ),
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
    items.push({
      id: 'accuracy',
      label: metricText(METRICS.accuracy.label),
      value: formatNumber(accuracy, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    });
  // Abbreviated labels carry their full name on hover (contract/metrics.ts).
  const stat = (id: 'rmse' | 'r2' | 'mae', value: string): Stat => ({
    id,
    label: metricText(METRICS[id].label),
    value,
    title: metricText(METRICS[id].title),
  });
  if (rmse !== undefined) items.push(stat('rmse', formatValue(rmse)));
  if (r2 !== undefined) items.push(stat('r2', r2.toFixed(4)));
  if (mae !== undefined) items.push(stat('mae', formatValue(mae)));
  items.push({ id: 'loss', label: metricText(METRICS.loss.label), value: report.loss.toFixed(4) });
  if (perplexity !== undefined)
    items.push({
      id: 'perplexity',
      label: metricText(METRICS.perplexity.label),
      value: perplexity.toFixed(2),
    });
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

function confusion(report: EvalReport): HTMLElement {
  const matrix = report.confusion ?? [];
  const labels = report.classes?.map((c) => c.label) ?? matrix.map((_, i) => String(i));
  // Rows and columns of the classes counted (the others are all zeros); ids stay the report's.
  const shown = report.classes ? countedClasses(report.classes, matrix) : matrix.map((_, i) => i);
  const isShown = new Set(shown);
  const grid = h('div', {
    class: 'confusion',
    id: 'confusion',
    role: 'table',
    'aria-label': l10n.t('Confusion matrix: rows are the true class, columns the predicted class'),
  });
  grid.style.gridTemplateColumns = `auto repeat(${shown.length}, minmax(34px, auto))`;
  const base = themeColor('charts-blue', '#3794ff');
  const text = themeColor('foreground', '#cccccc');
  const onDark = themeColor('editor-background', '#1e1e1e');
  grid.append(h('span', { class: 'axis', role: 'columnheader' }, l10n.t('true ↓ / predicted →')));
  for (const p of shown)
    grid.append(
      clickable(
        h(
          'span',
          { class: 'axis', role: 'columnheader', tabindex: '0', 'data-predicted': String(p) },
          labels[p],
        ),
        { predicted: p },
      ),
    );
  for (const cell of confusionCells(matrix, labels)) {
    if (!isShown.has(cell.trueIndex) || !isShown.has(cell.predictedIndex)) continue;
    if (cell.predictedIndex === shown[0]) {
      grid.append(
        clickable(
          h(
            'span',
            {
              class: 'axis row-label',
              role: 'rowheader',
              tabindex: '0',
              'data-actual': String(cell.trueIndex),
            },
            labels[cell.trueIndex] ?? String(cell.trueIndex),
          ),
          { actual: cell.trueIndex },
        ),
      );
    }
    const el = h(
      'span',
      {
        class: 'cell',
        role: 'cell',
        tabindex: '0',
        title: cell.hover,
        'aria-label': cell.hover,
        'data-actual': String(cell.trueIndex),
        'data-predicted': String(cell.predictedIndex),
      },
      normalised ? `${(cell.rowShare * 100).toFixed(0)}%` : String(cell.count),
    );
    clickable(el, { actual: cell.trueIndex, predicted: cell.predictedIndex });
    el.style.background = withAlpha(base, 0.06 + 0.94 * cell.rowShare);
    el.style.color = cell.rowShare > 0.55 ? onDark : text;
    grid.append(el);
  }
  return grid;
}

/** Confusion cells, rows and columns filter the mistakes gallery (when the report has one). */
function clickable(el: HTMLElement, filter: MistakeFilter): HTMLElement {
  if (!last?.report?.mistakes) return el;
  el.classList.add('clickable');
  el.setAttribute('aria-pressed', String(sameFilter(filter, mistakeFilter)));
  const choose = () => gallery?.setFilter(sameFilter(filter, mistakeFilter) ? {} : filter);
  el.addEventListener('click', choose);
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose();
    }
  });
  return el;
}

const sameFilter = (a: MistakeFilter, b: MistakeFilter) =>
  a.actual === b.actual && a.predicted === b.predicted;

function normaliseToggle(): HTMLElement {
  const box = h('vscode-checkbox', {
    id: 'normalise',
    label: l10n.t('Show each row as shares of its true class'),
  });
  box.checked = normalised;
  box.addEventListener('change', () => {
    normalised = box.checked;
    if (last) render(last);
  });
  return box;
}

function mistakesGallery(report: EvalReport): HTMLElement {
  const labels = report.classes?.map((c) => c.label) ?? [];
  const mistakes = report.mistakes ?? [];
  const correct = (report.confusion ?? []).reduce((sum, row, t) => sum + (row[t] ?? 0), 0);
  gallery = new MistakesGallery(
    mistakes,
    (c) => labels[c] ?? String(c),
    report.confusion ? report.count - correct : mistakes.length,
    mistakeFilter,
    (filter) => {
      mistakeFilter = filter;
      for (const el of root.querySelectorAll<HTMLElement>('.confusion .clickable')) {
        const own: MistakeFilter = {
          actual: el.dataset.actual === undefined ? undefined : Number(el.dataset.actual),
          predicted: el.dataset.predicted === undefined ? undefined : Number(el.dataset.predicted),
        };
        el.setAttribute('aria-pressed', String(sameFilter(own, filter)));
      }
      gallery?.element.scrollIntoView({ block: 'nearest' });
    },
  );
  return gallery.element;
}
