/**
 * Metric records grouped into chart series, kept as pre-parsed {x, y} arrays
 * that chart.js reads directly (parsing off). Appends are incremental: the raw
 * and smoothed arrays grow in place and only the touched charts redraw.
 */
import type { MetricRecord } from '../../src/contract/metricRecord';
import { CHART_FAMILIES, metricInfo } from '../../src/contract/metrics';
import type { Split } from '../../src/contract/runStatus';
import { metricText } from '../shared/metricText';
import { EmaSmoother } from './ema';
import { isSmoothed } from './smoothingPolicy';
import { EpochScale, xOf, type XAxisKind } from './xAxis';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface MetricPoint {
  step: number;
  epoch: number;
  time: number;
  value: number;
}

/** Charts group related metrics: train vs validation loss share one chart, accuracy and F1 another. */
export type FamilyId = string;

const FAMILY_ORDER = CHART_FAMILIES.map((family) => family.id);

/**
 * The chart a metric is drawn in (contract/metrics.ts); a metric the table does not know gets its
 * own. metricInfo reads own keys only: "__proto__" or "constructor" is just an unknown name.
 */
export function familyOf(name: string): FamilyId {
  return metricInfo(name)?.family ?? name;
}

/** The chart's title in the display language; a family the table lacks is titled by its metric's name. */
export function familyTitle(family: FamilyId): string {
  const known = CHART_FAMILIES.find((entry) => entry.id === family);
  return known ? metricText(known.title) : family;
}

/** Known families first in a fixed order, others alphabetically after them. */
export function compareFamilies(a: FamilyId, b: FamilyId): number {
  const ia = FAMILY_ORDER.indexOf(a);
  const ib = FAMILY_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  return a.localeCompare(b);
}

export function seriesId(run: string, split: Split, name: string): string {
  return `${run}\u0000${split}/${name}`;
}

export class Series {
  /** Records in x order; `raw[i]` and `smoothed[i]` belong to `points[i]`. */
  readonly points: MetricPoint[] = [];
  raw: ChartPoint[] = [];
  smoothed: ChartPoint[] = [];
  private smoother: EmaSmoother;
  private weight: number;

  constructor(
    readonly id: string,
    readonly run: string,
    readonly split: Split,
    readonly name: string,
    weight: number,
  ) {
    this.weight = this.ownWeight(weight);
    this.smoother = new EmaSmoother(this.weight);
  }

  /** True when the smoothed curve differs from the raw one (smoothing on, and a series it applies to). */
  get smoothing(): boolean {
    return this.weight > 0;
  }

  /** The slider's weight where smoothing applies to this series (smoothingPolicy.ts), else none. */
  private ownWeight(weight: number): number {
    return isSmoothed(this.split, this.name) ? weight : 0;
  }

  get family(): FamilyId {
    return familyOf(this.name);
  }

  /** "train/loss", the name the trainer and the CSV use. */
  get metric(): string {
    return `${this.split}/${this.name}`;
  }

  append(point: MetricPoint, x: number): void {
    const last = this.raw[this.raw.length - 1];
    if (last !== undefined && x < last.x) {
      // Decimation needs x sorted; an out-of-order record (rare) is inserted and the smoothing redone.
      const index = upperBound(this.raw, x);
      this.points.splice(index, 0, point);
      this.raw.splice(index, 0, { x, y: point.value });
      this.resmooth();
      return;
    }
    this.points.push(point);
    this.raw.push({ x, y: point.value });
    this.smoothed.push({ x, y: this.smoother.next(point.value) });
  }

  /** Recomputes x (another axis) and the smoothed curve (another weight) from the stored records. */
  rebuild(xFor: (point: MetricPoint) => number, weight: number): void {
    this.weight = this.ownWeight(weight);
    const order = this.points.map((point) => ({ point, x: xFor(point) })).sort((a, b) => a.x - b.x);
    this.points.splice(0, this.points.length, ...order.map((o) => o.point));
    this.raw = order.map((o) => ({ x: o.x, y: o.point.value }));
    this.resmooth();
  }

  private resmooth(): void {
    this.smoother = new EmaSmoother(this.weight);
    this.smoothed = this.raw.map((p) => ({ x: p.x, y: this.smoother.next(p.y) }));
  }
}

/** First index whose x is greater than `x` (keeps equal x in arrival order). */
function upperBound(points: readonly ChartPoint[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every run's series, keyed by run + metric, plus the x-axis and smoothing they are built with. */
export class SeriesStore {
  private readonly series = new Map<string, Series>();
  private readonly epochs = new Map<string, EpochScale>();
  private axis: XAxisKind = 'step';
  private weight = 0;

  get xAxis(): XAxisKind {
    return this.axis;
  }

  get smoothing(): number {
    return this.weight;
  }

  all(): Series[] {
    return [...this.series.values()];
  }

  get(id: string): Series | undefined {
    return this.series.get(id);
  }

  /** Adds records of one run; returns the families whose charts must redraw. */
  append(run: string, records: readonly MetricRecord[]): Set<FamilyId> {
    const changed = new Set<FamilyId>();
    const epochs = this.epochScale(run);
    let newEpoch = false;
    for (const record of records) newEpoch = epochs.observe(record) || newEpoch;
    if (newEpoch && this.axis === 'epoch') {
      // A newly seen epoch fixes the length of the previous one: re-place this run's points.
      for (const series of this.all()) {
        if (series.run !== run) continue;
        series.rebuild((p) => epochs.epochOf(p), this.weight);
        changed.add(series.family);
      }
    }
    for (const record of records) {
      const id = seriesId(run, record.split, record.name);
      let series = this.series.get(id);
      if (!series) {
        series = new Series(id, run, record.split, record.name, this.weight);
        this.series.set(id, series);
      }
      const point = { step: record.step, epoch: record.epoch, time: record.time, value: record.value };
      series.append(point, xOf(point, this.axis, epochs));
      changed.add(series.family);
    }
    return changed;
  }

  /** Forgets a run (removed from the comparison, or reloaded from scratch). */
  removeRun(run: string): void {
    for (const [id, series] of this.series) if (series.run === run) this.series.delete(id);
    this.epochs.delete(run);
  }

  setXAxis(kind: XAxisKind): void {
    this.axis = kind;
    this.rebuildAll();
  }

  setSmoothing(weight: number): void {
    this.weight = weight;
    this.rebuildAll();
  }

  families(): FamilyId[] {
    return [...new Set(this.all().map((s) => s.family))].sort(compareFamilies);
  }

  inFamily(family: FamilyId): Series[] {
    return this.all().filter((s) => s.family === family);
  }

  private rebuildAll(): void {
    for (const series of this.all()) {
      const epochs = this.epochScale(series.run);
      series.rebuild((p) => xOf(p, this.axis, epochs), this.weight);
    }
  }

  private epochScale(run: string): EpochScale {
    let scale = this.epochs.get(run);
    if (!scale) {
      scale = new EpochScale();
      this.epochs.set(run, scale);
    }
    return scale;
  }
}
