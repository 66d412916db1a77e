/**
 * The per-class table of a classifier's scores (precision, recall, F1, support), with its macro
 * and weighted averages in the footer, as scikit-learn's classification_report lays them out.
 * Rows are the classes counted (countedClasses): held by the examples or predicted by the model.
 * The evaluation panel shows a run's test split with it, the .onnx view a data file's examples.
 */
import * as l10n from '@vscode/l10n';
import { countedClasses, type ClassReport } from '../../src/contract/evalReport';
import { METRICS } from '../../src/contract/metrics';
import { classAverages } from './classAverages';
import { formatNumber } from './l10n';
import { metricText } from './metricText';
import { h } from './theme';

export function classTable(
  all: readonly ClassReport[] = [],
  confusion?: readonly (readonly number[])[],
): HTMLElement {
  const pct = (v: number) =>
    formatNumber(v, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const columns = [
    l10n.t('class'),
    metricText(METRICS.precision.label),
    metricText(METRICS.recall.label),
    metricText(METRICS.f1.label),
    l10n.t('support'),
  ];
  const header = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)));
  const row = (
    label: string,
    c: { precision: number; recall: number; f1: number; support: number },
    id?: string,
  ) =>
    h(
      'tr',
      id ? { id } : {},
      h('th', { scope: 'row' }, label),
      h('td', {}, pct(c.precision)),
      h('td', {}, pct(c.recall)),
      h('td', {}, pct(c.f1)),
      h('td', {}, String(c.support)),
    );
  const rows = countedClasses(all, confusion).map((id) => row(all[id].label, all[id]));
  const { macro, weighted } = classAverages(all, confusion);
  return h(
    'table',
    { id: 'classes' },
    h('thead', {}, header),
    h('tbody', {}, ...rows),
    h(
      'tfoot',
      { class: 'averages' },
      row(l10n.t('macro avg'), macro, 'average-macro'),
      row(l10n.t('weighted avg'), weighted, 'average-weighted'),
    ),
  );
}
