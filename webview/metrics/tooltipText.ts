/**
 * A chart tooltip's line for one series at one x: with smoothing on, both the
 * smoothed value the line shows and the raw value recorded there, so a spike
 * hidden by the smoothing can still be read off.
 */
import * as l10n from '@vscode/l10n';
import { nearestIndex } from './pointSearch';
import type { ChartPoint } from './seriesStore';

export interface TooltipSeries {
  raw: readonly ChartPoint[];
  smoothed: readonly ChartPoint[];
  /** Whether the smoothed curve is the one drawn (smoothing on and applied to this series). */
  smoothing: boolean;
}

/** At most 4 significant digits, as on the y axis. */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/** "train/loss: 0.4123 (raw 0.5012)", or "validation/loss: 0.45" for a series drawn raw. */
export function tooltipLine(label: string, series: TooltipSeries, x: number): string {
  const index = nearestIndex(series.raw, x);
  if (index < 0) return label;
  const raw = formatValue(series.raw[index].y);
  if (!series.smoothing) return `${label}: ${raw}`;
  return l10n.t('{0}: {1} (raw {2})', label, formatValue(series.smoothed[index].y), raw);
}
