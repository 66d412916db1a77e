/**
 * The training-dynamics records of one run (dynamics.jsonl), as the chart series the
 * metrics panel's dynamics section draws: gradient norms, update/weight ratios per tensor,
 * and each tensor's weight and gradient percentiles over steps (TensorBoard's distributions).
 * Pure: no DOM, unit-tested.
 */
import * as l10n from '@vscode/l10n';
import {
  DYNAMICS_PERCENTILES,
  updateRatio,
  type DynamicsRecord,
  type ParamDynamics,
} from '../../src/contract/dynamicsRecord';

export interface StepPoint {
  x: number;
  y: number;
}

export interface NamedSeries {
  label: string;
  points: StepPoint[];
}

/**
 * Percentile bands, outermost first: [low, high] index pairs into DYNAMICS_PERCENTILES
 * (min–max, ±1.5σ, ±1σ, ±0.5σ); the median is drawn as a line on top.
 */
export const BANDS: readonly (readonly [number, number])[] = [
  [0, 8],
  [1, 7],
  [2, 6],
  [3, 5],
];
export const MEDIAN = 4;

export type DistributionKind = 'weights' | 'grads';

export class DynamicsSeries {
  private records: DynamicsRecord[] = [];

  /** Adds records (a read of dynamics.jsonl); `reset` drops what was held first. */
  append(records: DynamicsRecord[], reset: boolean): void {
    if (reset) this.records = [];
    this.records.push(...records);
    // A resumed run's file may repeat steps; keep one record per step, the latest.
    const byStep = new Map(this.records.map((r) => [r.step, r]));
    if (byStep.size !== this.records.length || !isAscending(this.records))
      this.records = [...byStep.values()].sort((a, b) => a.step - b.step);
  }

  get count(): number {
    return this.records.length;
  }

  /** Parameter tensors in model order (those of the latest record). */
  tensors(): string[] {
    return this.records.at(-1)?.params.map((p) => p.name) ?? [];
  }

  /** Whether any record's clipping changed the global norm. */
  clipped(): boolean {
    return this.records.some((r) => r.clippedGradNorm < r.gradNorm * (1 - 1e-6));
  }

  /** Global gradient norm before clipping, and after it when clipping ever acted. */
  globalNorms(): NamedSeries[] {
    const before = { label: l10n.t('global, before clipping'), points: this.points((r) => r.gradNorm) };
    if (!this.clipped()) return [{ ...before, label: 'global' }];
    return [
      before,
      { label: l10n.t('global, after clipping'), points: this.points((r) => r.clippedGradNorm) },
    ];
  }

  /** One series per tensor of `pick` (points where it is undefined are left out). */
  perTensor(pick: (p: ParamDynamics) => number | undefined): NamedSeries[] {
    return this.tensors().map((name) => ({
      label: name,
      points: this.points((r) => {
        const param = r.params.find((p) => p.name === name);
        return param && pick(param);
      }),
    }));
  }

  gradNorms(): NamedSeries[] {
    return this.perTensor((p) => p.gradNorm);
  }

  /** ‖Δp‖ / ‖p‖ per tensor; a tensor of zeros (a bias at its start) has none. */
  updateRatios(): NamedSeries[] {
    return this.perTensor(updateRatio);
  }

  /** The percentile series of one tensor, one per level of DYNAMICS_PERCENTILES. */
  distribution(tensor: string, kind: DistributionKind): StepPoint[][] {
    return DYNAMICS_PERCENTILES.map((_, level) =>
      this.points((r) => r.params.find((p) => p.name === tensor)?.[kind][level]),
    );
  }

  private points(value: (r: DynamicsRecord) => number | undefined): StepPoint[] {
    const points: StepPoint[] = [];
    for (const record of this.records) {
      const y = value(record);
      if (y !== undefined && Number.isFinite(y)) points.push({ x: record.step, y });
    }
    return points;
  }
}

function isAscending(records: DynamicsRecord[]): boolean {
  return records.every((r, i) => i === 0 || r.step > records[i - 1].step);
}
