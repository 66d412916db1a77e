/**
 * One chart card per metric family (loss, accuracy / F1, learning rate, throughput…).
 * chart.js is tuned for streaming: animation off, parsing off with pre-parsed
 * {x, y} points, and `update('none')` on append. Decimation is our incremental
 * LTTB (decimate.ts) rather than chart.js' plugin, which re-decimates every
 * point of every dataset on each update; while zoomed, the visible range is
 * decimated afresh. Series toggles are keyboard-reachable buttons.
 */
import * as l10n from '@vscode/l10n';
import type { ChartDataset, Plugin } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import '../shared/elements';
import { Chart } from './lineCharts';
import { chartAxisColors, h, themeColor, themeKind, withAlpha } from '../shared/theme';
import { readableLogTicks } from './logTicks';
import { bucketSizeFor, DEFAULT_TARGET, IncrementalLttb, lttbFixed } from './decimate';
import { familyTitle, type ChartPoint, type FamilyId, type Series } from './seriesStore';
import { lowerBound } from './pointSearch';
import { formatSeconds, wallTimeTicks } from './timeTicks';
import { formatValue, tooltipLine } from './tooltipText';
import { formatLinearTick } from './valueTicks';
import { xAxisTitle, type XAxisKind } from './xAxis';

Chart.register(zoomPlugin);

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

/** A series of one point (a test metric, the first validation) has no line to draw: it is a marker. */
const SINGLE_POINT_RADIUS = 4;
/** Room a tick label needs along each axis, in CSS pixels. */
const X_TICK_SPACING = 64;
const Y_TICK_SPACING = 28;

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
  private optionsKey = '';
  /** Seconds between wall-time ticks, so their labels show tenths when the step is below a second. */
  private timeStep = 1;
  /** One incremental decimator per point array (a rebuilt series brings new arrays, hence new decimators). */
  private readonly decimators = new WeakMap<ChartPoint[], IncrementalLttb>();

  constructor(
    readonly family: FamilyId,
    private readonly look: ChartLook,
  ) {
    const canvas = h('canvas', {
      tabindex: '0',
      role: 'img',
      'aria-label': l10n.t('{0} chart. Plus and minus zoom, arrow keys pan, 0 resets.', familyTitle(family)),
    });
    const png = h(
      'vscode-button',
      { secondary: '', 'aria-label': l10n.t('Export {0} as PNG', familyTitle(family)) },
      'PNG',
    );
    png.addEventListener('click', () =>
      this.look.onExportPng(family, this.chart.toBase64Image('image/png', 1)),
    );
    this.legend = h('div', { class: 'legend', role: 'group', 'aria-label': l10n.t('Series') });
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
      plugins: [backgroundPlugin, { id: 'publishTicks', afterUpdate: (chart) => this.publishTicks(chart) }],
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
      // Smoothing may be on and still not apply to this series (validation, learning rate).
      const smoothed = smoothing && s.smoothing;
      const rawColor = smoothed ? withAlpha(color, 0.25) : color;
      const label = this.look.labelOf(s);
      const markersOnly = s.split === 'test';
      datasets.push(
        lineDataset(
          l10n.t('{0} (raw)', label),
          this.drawn(s.raw, hidden),
          rawColor,
          dash,
          hidden,
          markersOnly,
        ),
      );
      const smoothHidden = hidden || !smoothed;
      datasets.push(lineDataset(label, this.drawn(s.smoothed, smoothHidden), color, dash, smoothHidden));
    });
    this.reuseDatasets(datasets);
    const markers = datasets.filter(
      (d) => !d.hidden && d.data.length > 0 && (d.data.length === 1 || d.showLine === false),
    ).length;
    const optionsKey = [this.look.xAxis, this.look.logScale, smoothing, document.body.className].join('|');
    if (optionsKey !== this.optionsKey) {
      this.optionsKey = optionsKey;
      this.chart.options = this.options();
      this.card.dataset.theme = themeKind();
    }
    this.chart.update('none');
    // What the chart really uses, for UI tests and screen readers' inspection tools.
    const x = this.chart.scales.x;
    this.card.dataset.xAxis = this.look.xAxis;
    this.card.dataset.xRange = `${x.min} ${x.max}`;
    this.card.dataset.zoomed = String(this.chart.isZoomedOrPanned());
    this.card.dataset.points = String(this.pointCount);
    this.card.dataset.yScale = this.look.logScale ? 'logarithmic' : 'linear';
    this.card.dataset.smoothed = String(smoothing);
    this.card.dataset.smoothedSeries = String(series.filter((s) => smoothing && s.smoothing).length);
    this.card.dataset.markers = String(markers);
    this.renderLegend();
  }

  /**
   * The tick labels drawn, for UI tests and inspection tools. After every layout, not only after
   * new data: a chart first laid out in a hidden panel gets its real ticks when it is shown.
   */
  private publishTicks(chart: Chart): void {
    this.card.dataset.xTicks = chart.scales.x.ticks.map((t) => t.label).join(' ');
    this.card.dataset.yTicks = chart.scales.y.ticks.map((t) => t.label).join(' ');
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
    this.update(this.series);
  }

  /**
   * The points handed to chart.js for one array: nothing when hidden, the
   * incremental LTTB of the whole series, or, while zoomed, the LTTB of the
   * visible range (plus one point each side so lines reach the plot edges).
   */
  private drawn(points: ChartPoint[], hidden: boolean): ChartPoint[] {
    if (hidden || points.length === 0) return [];
    if (this.chart.isZoomedOrPanned()) {
      const { min, max } = this.chart.scales.x;
      const start = Math.max(0, lowerBound(points, min) - 1);
      const end = Math.min(points.length, lowerBound(points, max) + 1);
      return lttbFixed(points, start, end, bucketSizeFor(end - start, DEFAULT_TARGET));
    }
    let decimator = this.decimators.get(points);
    if (!decimator) {
      decimator = new IncrementalLttb(points);
      this.decimators.set(points, decimator);
    }
    return decimator.update();
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
    const { text, grid } = chartAxisColors();
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
            callback: time ? (v) => formatSeconds(Number(v), this.timeStep) : undefined,
          },
          grid: { color: grid },
          afterBuildTicks: (scale) => {
            if (!time) return;
            const values = wallTimeTicks(scale.min, scale.max, scale.width / X_TICK_SPACING);
            this.timeStep = values.length > 1 ? values[1] - values[0] : 1;
            scale.ticks = values.map((value) => ({ value }));
          },
        },
        y: {
          type: this.look.logScale ? 'logarithmic' : 'linear',
          ticks: {
            color: text,
            callback: (v, _index, ticks) =>
              this.look.logScale ? formatValue(Number(v)) : formatLinearTick(Number(v), ticks),
          },
          grid: { color: grid },
          afterDataLimits: widenFlatRange,
          afterBuildTicks: (scale) => {
            if (this.look.logScale)
              scale.ticks = readableLogTicks(scale.ticks, scale.height / Y_TICK_SPACING);
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          // One line per series: the smoothed dataset's when it is drawn (its label gives both values), else the raw one's.
          filter: (item) => {
            const series = this.series[item.datasetIndex >> 1];
            const smoothedDataset = item.datasetIndex % 2 === 1;
            return series !== undefined && smoothedDataset === (this.look.smoothing > 0 && series.smoothing);
          },
          callbacks: {
            label: (item) => this.tooltipLineOf(item.datasetIndex, item.parsed.x ?? Number.NaN),
            title: (items) =>
              items[0]
                ? `${xAxisTitle(this.look.xAxis)} ${formatX(items[0].parsed.x ?? Number.NaN, time)}`
                : '',
            // The tooltip is drawn on the canvas: its lines are also published for UI tests and inspection tools.
            footer: (items) => {
              this.card.dataset.tooltip = items
                .map((item) => this.tooltipLineOf(item.datasetIndex, item.parsed.x ?? Number.NaN))
                .join('\n');
              return '';
            },
          },
        },
        zoom: {
          zoom: {
            wheel: { enabled: true },
            drag: { enabled: true, modifierKey: 'shift' },
            mode: 'x',
            onZoomComplete: () => this.update(this.series),
          },
          pan: { enabled: true, mode: 'x', onPanComplete: () => this.update(this.series) },
        },
      },
    };
  }

  /** The tooltip's line for the series drawn by dataset `datasetIndex` (two datasets per series: raw, smoothed). */
  private tooltipLineOf(datasetIndex: number, x: number): string {
    const series = this.series[datasetIndex >> 1];
    const shown = {
      raw: series.raw,
      smoothed: series.smoothed,
      smoothing: this.look.smoothing > 0 && series.smoothing,
    };
    return tooltipLine(this.look.labelOf(series), shown, x);
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
            title: visible ? l10n.t('Hide series') : l10n.t('Show series'),
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
    this.update(this.series);
  }
}

function lineDataset(
  label: string,
  data: ChartPoint[],
  color: string,
  dash: number[],
  hidden: boolean,
  markersOnly = false,
): LineDataset {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    borderDash: dash,
    hidden,
    // Test metrics are taken once at the end (or a few times): markers, not a line between them.
    showLine: !markersOnly,
    pointRadius: data.length === 1 || markersOnly ? SINGLE_POINT_RADIUS : 0,
  };
}

/**
 * A constant series (a fixed learning rate) gives the y axis a range of float
 * noise: ticks like 0.010000000000000000 and a line jumping between them.
 * Widen such a range to ±5 % of the value.
 */
function widenFlatRange(scale: { min: number; max: number }): void {
  const magnitude = Math.max(Math.abs(scale.min), Math.abs(scale.max));
  if (scale.max - scale.min > magnitude * 1e-6) return;
  const pad = magnitude > 0 ? magnitude * 0.05 : 1;
  scale.min -= pad;
  scale.max += pad;
}

function formatX(x: number, time: boolean): string {
  return time ? formatSeconds(x) : Number.isInteger(x) ? String(x) : x.toFixed(2);
}
