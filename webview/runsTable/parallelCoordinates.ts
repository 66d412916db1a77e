/**
 * Parallel coordinates of the differing settings against a chosen metric, for the selected
 * runs (two or more) or every run shown. Drawn on a canvas in theme colours; each line is
 * coloured from the theme's blue (worst) to its orange (best) on the metric, the focused run
 * drawn over the others. `data-*` attributes on the canvas say what is drawn.
 */
import * as l10n from '@vscode/l10n';
import type { ColumnKey } from '../../src/contract/runTable/columns';
import { columnTitle, shortSettingNames } from '../../src/contract/runTable/columnTitles';
import { formatNumber } from '../../src/contract/runTable/formatCell';
import type { RunRow } from '../../src/contract/runTable/runRow';
import { chartAxisColors, h, themeColor } from '../shared/theme';
import { columnWords } from '../../src/protocol/runTableColumnWords';
import { parallelChart, type Axis } from './parallelAxes';

const HEIGHT = 240;
const PAD = { top: 40, bottom: 30, side: 60 };

interface Select extends HTMLElement {
  value: string;
}

export class ParallelCoordinates {
  readonly element = h('section', { class: 'parallel', 'data-testid': 'parallel-coordinates' });
  private readonly canvas = h('canvas', { 'data-testid': 'parallel-canvas', role: 'img' });
  private readonly metricSelect = h('vscode-single-select', {
    'data-testid': 'parallel-metric',
    'aria-label': l10n.t('Metric'),
  }) as unknown as Select;
  private readonly note = h('span', { class: 'count', 'data-testid': 'parallel-note' });
  private metrics: ColumnKey[] = [];
  private last: { rows: readonly RunRow[]; focused?: string } | undefined;
  private static readonly NO_NAMES: ReadonlyMap<string, string> = new Map();
  private readonly words = columnWords();

  constructor(
    private metric: ColumnKey | undefined,
    onMetric: (metric: ColumnKey) => void,
  ) {
    this.metricSelect.addEventListener('change', () => {
      this.metric = this.metricSelect.value as ColumnKey;
      onMetric(this.metric);
      this.redraw();
    });
    this.element.append(
      h(
        'div',
        { class: 'toolbar-row' },
        h('h2', {}, l10n.t('Parallel coordinates')),
        this.metricSelect,
        this.note,
      ),
      this.canvas,
    );
    new ResizeObserver(() => this.redraw()).observe(this.element);
  }

  /** `metrics`: the metric columns to choose from; `rows`: the runs to draw. */
  update(metrics: ColumnKey[], rows: readonly RunRow[], focused: string | undefined): void {
    if (metrics.join() !== this.metrics.join()) {
      this.metrics = metrics;
      this.metricSelect.replaceChildren(
        ...metrics.map((metric) =>
          h(
            'vscode-option',
            { value: metric },
            columnTitle(metric, ParallelCoordinates.NO_NAMES, this.words),
          ),
        ),
      );
    }
    // A validation score by default: what runs are usually ranked by.
    if (!this.metric || !metrics.includes(this.metric))
      this.metric = metrics.find((metric) => metric.startsWith('final:validation/')) ?? metrics[0];
    if (this.metric) this.metricSelect.value = this.metric;
    this.last = { rows, focused };
    this.redraw();
  }

  redraw(): void {
    const width = Math.max(320, this.element.clientWidth);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width * ratio;
    this.canvas.height = HEIGHT * ratio;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    const context = this.canvas.getContext('2d');
    if (!context || !this.last) return;
    context.scale(ratio, ratio);
    context.clearRect(0, 0, width, HEIGHT);
    const { text, grid } = chartAxisColors();
    if (!this.metric) {
      this.note.textContent = l10n.t('No run has a metric yet.');
      this.canvas.dataset.lines = '0';
      return;
    }
    const chart = parallelChart(this.last.rows, this.metric);
    const { axes, lines } = chart;
    const names = shortSettingNames(
      axes.filter((a) => a.column.startsWith('setting:')).map((a) => a.column.slice('setting:'.length)),
    );
    const x = (index: number): number =>
      axes.length === 1 ? width / 2 : PAD.side + (index * (width - 2 * PAD.side)) / (axes.length - 1);
    const y = (position: number): number => PAD.top + (1 - position) * (HEIGHT - PAD.top - PAD.bottom);
    const worst = themeColor('charts-blue', '#3794ff');
    const best = themeColor('charts-orange', '#d18616');

    const draw = (line: (typeof lines)[number], emphasis: boolean): void => {
      context.strokeStyle = mix(worst, best, line.score);
      context.lineWidth = emphasis ? 3 : 1.25;
      context.globalAlpha = emphasis ? 1 : lines.length > 200 ? 0.35 : 0.8;
      context.beginPath();
      let drawing = false;
      line.points.forEach((point, index) => {
        if (point === undefined) {
          drawing = false;
          return;
        }
        if (drawing) context.lineTo(x(index), y(point));
        else context.moveTo(x(index), y(point));
        drawing = true;
      });
      context.stroke();
    };
    for (const line of lines) if (line.runDir !== this.last.focused) draw(line, false);
    const focusedLine = lines.find((line) => line.runDir === this.last?.focused);
    if (focusedLine) draw(focusedLine, true);
    context.globalAlpha = 1;

    context.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    context.textAlign = 'center';
    axes.forEach((axis, index) => {
      context.strokeStyle = grid;
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(x(index), y(0));
      context.lineTo(x(index), y(1));
      context.stroke();
      context.fillStyle = text;
      context.fillText(columnTitle(axis.column, names, this.words), x(index), 14);
      for (const [label, position] of tickLabels(axis))
        context.fillText(label, x(index), y(position) + (position === 0 ? 14 : -4));
    });

    this.canvas.dataset.lines = String(lines.length);
    this.canvas.dataset.axes = axes.map((axis) => axis.column).join(' ');
    const axisTitles = axes.map((axis) => columnTitle(axis.column, names, this.words)).join(', ');
    this.canvas.setAttribute('aria-label', l10n.t('{0} runs across {1}', lines.length, axisTitles));
    const drawn =
      lines.length === 1
        ? l10n.t('1 run, colour from worst (blue) to best (orange)')
        : l10n.t('{0} runs, colour from worst (blue) to best (orange)', lines.length);
    this.note.textContent =
      chart.withoutMetric > 0
        ? l10n.t('{0}; {1} without this metric left out', drawn, chart.withoutMetric)
        : drawn;
  }
}

/** Numbers: the extremes at bottom and top. Categories: each at its place (at most 8, evenly picked). */
function tickLabels(axis: Axis): [string, number][] {
  if (axis.kind !== 'category') {
    // Settings as the user wrote them (0.001), metrics rounded.
    const format = axis.column.startsWith('setting:') ? String : formatNumber;
    const [min, max] = axis.ticks.map(Number);
    return min === max
      ? [[format(min), 0.5]]
      : [
          [format(min), 0],
          [format(max), 1],
        ];
  }
  const step = Math.max(1, Math.ceil(axis.ticks.length / 8));
  return axis.ticks
    .filter((_, index) => index % step === 0)
    .map((label) => [label.length > 14 ? `${label.slice(0, 13)}…` : label, axis.position(label) ?? 0]);
}

/** The colour `t` of the way from `a` to `b` (hex colours; anything else falls back to `b`). */
function mix(a: string, b: string, t: number): string {
  const rgb = (color: string): number[] | undefined => {
    const m = /^#([0-9a-f]{6})/i.exec(color.trim());
    return m ? [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16)) : undefined;
  };
  const [from, to] = [rgb(a), rgb(b)];
  if (!from || !to) return t >= 0.5 ? b : a;
  const channel = (i: number): number => Math.round(from[i] + (to[i] - from[i]) * t);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}
