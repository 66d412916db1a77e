/**
 * The geometry of the parallel-coordinates chart, without drawing: one axis per setting
 * that differs between the plotted runs and a last axis for the chosen metric, each mapping
 * a value to 0 (bottom) … 1 (top); one line per run that has the metric, with its score
 * from 0 (worst) to 1 (best) for the colour. Pure, unit-tested.
 */
import { cellValue, type CellValue, type ColumnKey } from '../../src/contract/runTable/columns';
import { differingSettings } from '../../src/contract/runTable/differingSettings';
import { metricInfo } from '../../src/contract/metrics';
import type { RunRow } from '../../src/contract/runTable/runRow';

export interface Axis {
  column: ColumnKey;
  /** Numbers: linear, or logarithmic when all are positive and span two decades or more. */
  kind: 'linear' | 'log' | 'category';
  /** Tick labels from bottom to top: [min, max] for numbers, every category otherwise. */
  ticks: string[];
  position(value: CellValue): number | undefined;
}

export interface Line {
  runDir: string;
  /** Per axis, undefined where the run has no such setting. */
  points: (number | undefined)[];
  /** 0 worst … 1 best of the plotted runs on the metric. */
  score: number;
}

export interface ParallelChart {
  axes: Axis[];
  lines: Line[];
  /** Runs left out because they have no value of the metric yet. */
  withoutMetric: number;
}

function numberAxis(column: ColumnKey, values: number[]): Axis {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const log = min > 0 && max / min >= 100;
  const scale = (v: number): number => (log ? Math.log10(v) : v);
  const [low, high] = [scale(min), scale(max)];
  return {
    column,
    kind: log ? 'log' : 'linear',
    ticks: [String(min), String(max)],
    position: (value) =>
      typeof value !== 'number' ? undefined : high === low ? 0.5 : (scale(value) - low) / (high - low),
  };
}

function categoryAxis(column: ColumnKey, values: CellValue[]): Axis {
  const categories = [...new Set(values.map((v) => String(v)))].sort();
  return {
    column,
    kind: 'category',
    ticks: categories,
    position: (value) => {
      if (value === undefined) return undefined;
      const index = categories.indexOf(String(value));
      return index < 0 ? undefined : categories.length === 1 ? 0.5 : index / (categories.length - 1);
    },
  };
}

function axisFor(column: ColumnKey, rows: readonly RunRow[]): Axis {
  const values = rows.map((row) => cellValue(row, column)).filter((v) => v !== undefined);
  return values.length > 0 && values.every((v) => typeof v === 'number')
    ? numberAxis(column, values as number[])
    : categoryAxis(column, values);
}

/** `metric` is a column key such as `final:validation/accuracy` or `best:validation/loss`. */
export function parallelChart(rows: readonly RunRow[], metric: ColumnKey): ParallelChart {
  const plotted = rows.filter((row) => typeof cellValue(row, metric) === 'number');
  const columns: ColumnKey[] = [
    ...differingSettings(plotted).map((path): ColumnKey => `setting:${path}`),
    metric,
  ];
  const axes = columns.map((column) => axisFor(column, plotted));
  const metricAxis = axes[axes.length - 1];
  const name = metric.slice(metric.lastIndexOf('/') + 1);
  const higherIsBetter = metricInfo(name)?.better !== 'lower';
  const lines = plotted.map((row) => {
    const position = metricAxis.position(cellValue(row, metric)) ?? 0.5;
    return {
      runDir: row.runDir,
      points: axes.map((axis) => axis.position(cellValue(row, axis.column))),
      score: metricAxis.ticks[0] === metricAxis.ticks[1] ? 1 : higherIsBetter ? position : 1 - position,
    };
  });
  return { axes, lines, withoutMetric: rows.length - plotted.length };
}
