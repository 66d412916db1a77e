/**
 * One chart card per metric family (loss, accuracy / F1, learning rate, throughput…).
 * chart.js is tuned for streaming: animation off, parsing off with pre-parsed
 * {x, y} arrays shared with the series store, LTTB decimation, and
 * `update('none')` on append. Series toggles are keyboard-reachable buttons.
 */
import {
  Chart,
  Decimation,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import '../shared/elements';
import { h, themeColor, withAlpha } from '../shared/theme';
import { familyTitle, type ChartPoint, type FamilyId, type Series } from './seriesStore';
import { formatSeconds, xAxisTitle, type XAxisKind } from './xAxis';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Decimation,
  zoomPlugin,
);

export interface ChartLook {
  smoothing: number;
  logScale: boolean;
  xAxis: XAxisKind;
  hidden: ReadonlySet<string>;
  /** Colour of a series: by run when comparing, by metric otherwise. */
  colorOf(series: Series, indexInFamily: number): string;
  labelOf(series: Series): string;
  onToggle(series: Series): void;
  onExportPng(family: FamilyId, dataUrl: string): void;
}

type LineDataset = ChartDataset<'line', ChartPoint[]>;

const SPLIT_DASH: Record<string, number[]> = { train: [], validation: [6, 3], test: [2, 2] };

/** Paints the editor background under the chart so exported PNGs are readable. */
const backgroundPlugin: Plugin<'line'> = {
  id: 'modelLabBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = themeColor('editor-background', '#1e1e1e');
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export class FamilyChart {
  readonly card: HTMLElement;
  private readonly chart: Chart<'line', ChartPoint[]>;
  private readonly legend: HTMLElement;
  private series: Series[] = [];
  private legendKey = '';

  constructor(
    readonly family: FamilyId,
    private readonly look: ChartLook,
  ) {
    const canvas = h('canvas', {
      tabindex: '0',
      role: 'img',
      'aria-label': `${familyTitle(family)} chart. Plus and minus zoom, arrow keys pan, 0 resets.`,
    });
    const png = h(
      'vscode-button',
      { secondary: '', 'aria-label': `Export ${familyTitle(family)} as PNG` },
      'PNG',
    );
    png.addEventListener('click', () =>
      this.look.onExportPng(family, this.chart.toBase64Image('image/png', 1)),
    );
    this.legend = h('div', { class: 'legend', role: 'group', 'aria-label': 'Series' });
    this.card = h(
      'section',
      { class: 'chart-card', 'data-family': family },
      h('header', {}, h('h2', {}, familyTitle(family)), png),
      this.legend,
      h('div', { class: 'chart-box' }, canvas),
    );
    canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {},
      plugins: [backgroundPlugin],
    });
  }

  /** Points currently held (raw, all series), published for tests and the status line. */
  get pointCount(): number {
    return this.series.reduce((sum, s) => sum + s.raw.length, 0);
  }

  /** Re-points datasets at the series arrays and redraws without animation. */
  update(series: Series[]): void {
    this.series = series;
    const smoothing = this.look.smoothing > 0;
    const datasets: LineDataset[] = [];
    series.forEach((s, i) => {
      const color = this.look.colorOf(s, i);
      const hidden = this.look.hidden.has(s.id);
      const dash = SPLIT_DASH[s.split] ?? [];
      datasets.push(
        lineDataset(
          `${this.look.labelOf(s)} (raw)`,
          s.raw,
          smoothing ? withAlpha(color, 0.25) : color,
          dash,
          hidden,
        ),
      );
      datasets.push(lineDataset(this.look.labelOf(s), s.smoothed, color, dash, hidden || !smoothing));
    });
    this.reuseDatasets(datasets);
    this.chart.options = this.options();
    this.chart.update('none');
    this.card.dataset.points = String(this.pointCount);
    this.renderLegend();
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
  }

  destroy(): void {
    this.chart.destroy();
    this.card.remove();
  }

  /**
   * Keeps existing dataset objects (chart.js keeps their elements and decimation
   * state) and only swaps their data and style.
   */
  private reuseDatasets(next: LineDataset[]): void {
    const current = this.chart.data.datasets;
    if (current.length !== next.length) {
      this.chart.data.datasets = next;
      return;
    }
    next.forEach((d, i) => Object.assign(current[i], d));
  }

  private options(): Chart<'line', ChartPoint[]>['options'] {
    const text = themeColor('foreground', '#cccccc');
    const grid = withAlpha(themeColor('foreground', '#cccccc'), 0.12);
    const time = this.look.xAxis === 'time';
    return {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 4 }, line: { tension: 0 } },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: xAxisTitle(this.look.xAxis), color: text },
          ticks: {
            color: text,
            maxRotation: 0,
            callback: time ? (v) => formatSeconds(Number(v)) : undefined,
          },
          grid: { color: grid },
        },
        y: {
          type: this.look.logScale ? 'logarithmic' : 'linear',
          ticks: { color: text },
          grid: { color: grid },
        },
      },
      plugins: {
        legend: { display: false },
        decimation: { enabled: true, algorithm: 'lttb' },
        tooltip: {
          filter: (item) => !String(item.dataset.label).endsWith('(raw)') || this.look.smoothing === 0,
          callbacks: {
            title: (items) =>
              items[0]
                ? `${xAxisTitle(this.look.xAxis)} ${formatX(items[0].parsed.x ?? Number.NaN, time)}`
                : '',
          },
        },
        zoom: {
          zoom: { wheel: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'x' },
          pan: { enabled: true, mode: 'x' },
        },
      },
    };
  }

  private renderLegend(): void {
    const key = this.series
      .map((s) => `${s.id}:${this.look.hidden.has(s.id)}:${this.look.labelOf(s)}`)
      .join('|');
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.replaceChildren(
      ...this.series.map((s, i) => {
        const visible = !this.look.hidden.has(s.id);
        const swatch = h('span', { class: `swatch split-${s.split}` });
        swatch.style.borderColor = this.look.colorOf(s, i);
        const button = h(
          'button',
          {
            class: 'series-toggle',
            'aria-pressed': String(visible),
            title: visible ? 'Hide series' : 'Show series',
          },
          swatch,
          this.look.labelOf(s),
        );
        button.addEventListener('click', () => this.look.onToggle(s));
        return button;
      }),
    );
  }

  private onKey(event: KeyboardEvent): void {
    const actions: Record<string, () => void> = {
      '+': () => this.chart.zoom(1.25),
      '=': () => this.chart.zoom(1.25),
      '-': () => this.chart.zoom(0.8),
      ArrowLeft: () => this.chart.pan({ x: 40 }, undefined, 'none'),
      ArrowRight: () => this.chart.pan({ x: -40 }, undefined, 'none'),
      '0': () => this.resetZoom(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}

function lineDataset(
  label: string,
  data: ChartPoint[],
  color: string,
  dash: number[],
  hidden: boolean,
): LineDataset {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    borderDash: dash,
    hidden,
    pointRadius: 0,
  };
}

function formatX(x: number, time: boolean): string {
  return time ? formatSeconds(x) : Number.isInteger(x) ? String(x) : x.toFixed(2);
}
