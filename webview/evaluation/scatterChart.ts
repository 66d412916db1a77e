/**
 * Predicted-vs-actual scatter of a regression run's test sample, with the
 * y = x diagonal. Only the chart.js pieces it draws are registered, so the
 * evaluation bundle stays small. Animation and parsing are off: the sample
 * is at most a few thousand pre-parsed points drawn once.
 */
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../shared/l10n';
import {
  Chart,
  LinearScale,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type TooltipItem,
} from 'chart.js';
import { chartAxisColors, h, themeColor, withAlpha } from '../shared/theme';
import { formatValue, pairLabel, scatterData, type ScatterPoint } from './scatterData';

Chart.register(ScatterController, PointElement, LineElement, LinearScale, Tooltip);

export interface ScatterCard {
  element: HTMLElement;
  destroy(): void;
}

/**
 * `total` is the split's example count (the sample may hold fewer);
 * `unitsSuffix` follows the axis titles, e.g. " (target units)".
 */
export function scatterCard(
  predictions: { actual: number[]; predicted: number[] },
  total: number,
  unitsSuffix: string,
): ScatterCard {
  const { points, min, max } = scatterData(predictions);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': l10n.t(
      'Predicted against actual values of {0} test examples, with the y = x line of perfect predictions.',
      formatNumber(points.length),
    ),
  });
  const element = h(
    'section',
    {
      class: 'chart-card',
      id: 'scatter',
      'data-points': String(points.length),
      'data-range': `${min} ${max}`,
    },
    h('header', {}, h('h2', {}, l10n.t('Predicted vs actual'))),
    h(
      'p',
      { class: 'hint' },
      `${sampleCaption(points.length, total)} ${l10n.t('The dashed line is y = x: points on it are exact predictions.')}`,
    ),
    h('div', { class: 'chart-box scatter-box' }, canvas),
  );
  const { text, grid } = chartAxisColors();
  const pointColor = themeColor('charts-blue', '#3794ff');
  // Neutral and drawn over the points, so the reference line reads in every theme.
  const diagonalColor = withAlpha(text, 0.75);
  const axis = (title: string) => ({
    type: 'linear' as const,
    min,
    max,
    title: { display: true, text: title, color: text },
    ticks: { color: text, callback: (value: number | string) => formatValue(Number(value)) },
    grid: { color: grid },
  });
  const chart = new Chart<'scatter', ScatterPoint[]>(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: l10n.t('test examples'),
          data: points,
          backgroundColor: withAlpha(pointColor, 0.55),
          borderColor: pointColor,
          pointRadius: 2.5,
          pointHoverRadius: 5,
          order: 1,
        },
        {
          label: l10n.t('y = x'),
          data: [
            { x: min, y: min },
            { x: max, y: max },
          ],
          showLine: true,
          borderColor: diagonalColor,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
          pointHitRadius: 0,
          order: 0,
        },
      ],
    },
    options: {
      animation: false,
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: true },
      scales: { x: axis(l10n.t('actual{0}', unitsSuffix)), y: axis(l10n.t('predicted{0}', unitsSuffix)) },
      // The hovered pair, also published as data-hover for UI tests (the tooltip is drawn on the canvas).
      onHover: (_event, active) => {
        const hit = active.find((a) => a.datasetIndex === 0);
        element.dataset.hover = hit ? pairLabel(points[hit.index], formatValue) : '';
      },
      plugins: {
        tooltip: {
          filter: (item: TooltipItem<'scatter'>) => item.datasetIndex === 0,
          callbacks: {
            label: (item: TooltipItem<'scatter'>) => pairLabel(item.raw as ScatterPoint, formatValue),
          },
        },
      },
    },
    plugins: [
      {
        id: 'modelLabPlotArea',
        // Where the axes' ranges land on the canvas (CSS pixels), so UI tests can point at a pair.
        afterLayout: ({ chartArea: { left, top, right, bottom } }) => {
          element.dataset.plot = `${left} ${top} ${right} ${bottom}`;
        },
      },
    ],
  });
  return { element, destroy: () => chart.destroy() };
}

function sampleCaption(shown: number, total: number): string {
  return shown < total
    ? l10n.t(
        '{0} of {1} test examples, taken evenly through the split.',
        formatNumber(shown),
        formatNumber(total),
      )
    : l10n.t('All {0} test examples.', formatNumber(shown));
}
