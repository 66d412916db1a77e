/**
 * The metrics panel's "Training dynamics" section, drawn from the run's dynamics.jsonl:
 * gradient norms (global, before and after clipping, and per tensor), update/weight ratios per
 * tensor, and, for a chosen tensor, its weight and gradient distributions over steps as
 * TensorBoard draws them: nested percentile bands (min–max, ±1.5σ, ±1σ, ±0.5σ points) around
 * the median. Norms and ratios span decades, so their y axes are logarithmic.
 */
import * as l10n from '@vscode/l10n';
import type { ChartDataset } from 'chart.js';
import type { DynamicsRecord } from '../../src/contract/dynamicsRecord';
import '../shared/elements';
import { chartAxisColors, h, seriesPalette, withAlpha } from '../shared/theme';
import { Chart } from './lineCharts';
import {
  BANDS,
  DynamicsSeries,
  MEDIAN,
  type DistributionKind,
  type NamedSeries,
  type StepPoint,
} from './dynamicsSeries';

type LineDataset = ChartDataset<'line', StepPoint[]>;

/** Dash patterns that tell apart tensors sharing a palette colour. */
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

class DynamicsChart {
  readonly card: HTMLElement;
  private readonly chart: Chart<'line', StepPoint[]>;
  private readonly legend = h('div', { class: 'legend', role: 'list', 'aria-label': l10n.t('Series') });

  constructor(
    readonly id: string,
    title: string,
    private readonly scale: 'linear' | 'logarithmic',
    header: Node[] = [],
  ) {
    const canvas = h('canvas', { role: 'img', 'aria-label': `${title} chart` });
    this.card = h(
      'section',
      { class: 'chart-card', 'data-dynamics': id },
      h('header', {}, h('h3', {}, title), ...header),
      this.legend,
      h('div', { class: 'chart-box' }, canvas),
    );
    this.chart = new Chart(canvas, { type: 'line', data: { datasets: [] }, options: {} });
  }

  /** Lines, one per series, with a legend entry each. */
  showLines(series: NamedSeries[]): void {
    const palette = seriesPalette();
    const datasets = series.map((s, i) => {
      const color = palette[i % palette.length];
      return line(s.label, s.points, color, DASHES[Math.floor(i / palette.length) % DASHES.length]);
    });
    this.legend.replaceChildren(
      ...datasets.map((d) => legendEntry(d.label ?? '', d.borderColor as string, d.borderDash as number[])),
    );
    this.draw(datasets);
  }

  /** Percentile bands of one tensor: each band fills between its low and high percentile line. */
  showBands(levels: StepPoint[][]): void {
    const color = seriesPalette()[0];
    const datasets: LineDataset[] = [];
    BANDS.forEach(([low, high]) => {
      const edge = withAlpha(color, 0.35);
      datasets.push({ ...line(`p${low}`, levels[low], edge, []), borderWidth: 0.5 });
      datasets.push({
        ...line(`p${high}`, levels[high], edge, []),
        borderWidth: 0.5,
        fill: { target: datasets.length - 1 },
        backgroundColor: withAlpha(color, 0.18),
      });
    });
    datasets.push({ ...line('median', levels[MEDIAN], color, []), borderWidth: 2 });
    this.legend.replaceChildren(
      legendEntry('median', color, []),
      legendEntry('bands: min–max, ±1.5σ, ±1σ, ±0.5σ percentiles', withAlpha(color, 0.5), []),
    );
    this.draw(datasets);
  }

  get pointCount(): number {
    return this.chart.data.datasets.reduce((sum, d) => sum + d.data.length, 0);
  }

  private draw(datasets: LineDataset[]): void {
    const { text, grid } = chartAxisColors();
    this.chart.data.datasets = datasets;
    this.chart.options = {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: l10n.t('Step'), color: text },
          ticks: { color: text },
          grid: { color: grid },
        },
        y: { type: this.scale, ticks: { color: text }, grid: { color: grid } },
      },
    };
    this.chart.update('none');
    this.card.dataset.points = String(this.pointCount);
  }
}

function line(label: string, data: StepPoint[], color: string, dash: number[]): LineDataset {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderDash: dash,
    borderWidth: 1.5,
    // A record every N steps is sparse: show each one, unless there are many.
    pointRadius: data.length <= 60 ? 2 : 0,
    fill: false,
  };
}

function legendEntry(label: string, color: string, dash: number[]): HTMLElement {
  const swatch = h('span', { class: 'swatch' });
  swatch.style.borderColor = color;
  swatch.style.borderTopStyle = dash.length ? 'dashed' : 'solid';
  return h('span', { class: 'legend-entry', role: 'listitem' }, swatch, label);
}

/** The section; `update` with each read of dynamics.jsonl, `redraw` after a theme change. */
export class DynamicsView {
  readonly element: HTMLElement;
  private readonly series = new DynamicsSeries();
  private readonly tensorSelect = h('vscode-single-select', {
    id: 'dynamics-tensor',
    'aria-label': l10n.t('Tensor whose distributions are shown'),
  });
  private readonly charts: DynamicsChart[];
  private readonly distributions: Record<DistributionKind, DynamicsChart>;
  private tensorOptions = '';
  private tensor = '';

  constructor() {
    const tensorLabel = h('label', { class: 'control' }, `${l10n.t('Tensor')} `, this.tensorSelect);
    this.distributions = {
      weights: new DynamicsChart('weights', 'Weight distribution', 'linear', [tensorLabel]),
      grads: new DynamicsChart('grads', 'Gradient distribution', 'linear'),
    };
    this.charts = [
      new DynamicsChart('global-norm', 'Gradient norm', 'logarithmic'),
      new DynamicsChart('grad-norms', 'Gradient norm per tensor', 'logarithmic'),
      new DynamicsChart('update-ratios', 'Update / weight ratio per tensor', 'logarithmic'),
      this.distributions.weights,
      this.distributions.grads,
    ];
    this.element = h(
      'section',
      {
        class: 'dynamics',
        id: 'dynamics',
        'data-testid': 'dynamics',
        'aria-label': l10n.t('Training dynamics'),
      },
      h('h2', {}, l10n.t('Training dynamics')),
      h('div', { class: 'charts' }, ...this.charts.map((c) => c.card)),
    );
    this.element.hidden = true;
    this.tensorSelect.addEventListener('change', () => {
      this.tensor = this.tensorSelect.value;
      this.drawDistributions();
    });
  }

  update(records: DynamicsRecord[], reset: boolean): void {
    this.series.append(records, reset);
    this.redraw();
  }

  redraw(): void {
    this.element.hidden = this.series.count === 0;
    this.element.dataset.records = String(this.series.count);
    if (this.series.count === 0) return;
    const [global, grads, ratios] = this.charts;
    global.showLines(this.series.globalNorms());
    grads.showLines(this.series.gradNorms());
    ratios.showLines(this.series.updateRatios());
    this.syncTensors();
    this.drawDistributions();
  }

  private syncTensors(): void {
    const tensors = this.series.tensors();
    if (!tensors.includes(this.tensor)) this.tensor = tensors[0] ?? '';
    const key = tensors.join('\n');
    if (key !== this.tensorOptions) {
      this.tensorOptions = key;
      this.tensorSelect.replaceChildren(...tensors.map((t) => h('vscode-option', { value: t }, t)));
    }
    this.tensorSelect.value = this.tensor;
  }

  private drawDistributions(): void {
    for (const kind of ['weights', 'grads'] as const) {
      this.distributions[kind].showBands(this.series.distribution(this.tensor, kind));
    }
    this.element.dataset.tensor = this.tensor;
  }
}
