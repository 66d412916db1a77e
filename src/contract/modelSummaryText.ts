/**
 * The model summary as text rows, shared by `model-lab summary` (aligned columns), the editor's
 * hover (a Markdown table) and the metrics panel's Model tab: one formatting of shapes, counts,
 * FLOPs and bytes.
 */
import type { ModelSummary } from './modelSummary';

/** "3.6 GB" (decimal units, as people read memory sizes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}

export const SUMMARY_COLUMNS = ['#', 'Layer', 'Output shape', 'Params', 'FLOPs'] as const;

/** 1234567 → "1,234,567" (exact: parameter counts are compared with other tools' counts). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** 2_340_000 → "2.34 M" (FLOPs are estimates; three significant digits say enough). */
export function formatFlops(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const found = units.find(([scale]) => n >= scale);
  return found ? `${(n / found[0]).toPrecision(3)} ${found[1]}` : String(n);
}

export const formatShape = (shape: number[]): string => `[${shape.join(', ')}]`;

/** One row per layer, in SUMMARY_COLUMNS order. */
export function summaryRows(summary: ModelSummary): string[][] {
  return summary.layers.map((l, i) => [
    String(i + 1),
    l.name ? `${l.type} ${l.name}` : l.type,
    formatShape(l.outputShape),
    formatCount(l.params),
    formatFlops(l.flops),
  ]);
}

/** The totals line: parameters, FLOPs per example and training memory. */
export function summaryTotals(summary: ModelSummary): string {
  const { memory } = summary;
  return (
    `${formatCount(summary.totalParams)} parameters · ${formatFlops(summary.totalFlops)} FLOPs per example · ` +
    `about ${formatBytes(memory.totalBytes)} to train at batch ${memory.batchSize}`
  );
}
