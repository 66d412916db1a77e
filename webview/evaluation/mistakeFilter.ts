/**
 * Which mistakes the gallery shows: all, or those of one true class, one predicted class, or
 * one confusion-matrix cell (both), and the caption that says so.
 */
import type { Mistake } from '../../src/contract/evalReport';

export interface MistakeFilter {
  actual?: number;
  predicted?: number;
}

export function filterMistakes(mistakes: readonly Mistake[], filter: MistakeFilter): Mistake[] {
  return mistakes.filter(
    (m) =>
      (filter.actual === undefined || m.actual === filter.actual) &&
      (filter.predicted === undefined || m.predicted === filter.predicted),
  );
}

/** "true 3 → predicted 8", "true 3", "predicted 8", or undefined for no filter. */
export function describeFilter(filter: MistakeFilter, labelOf: (c: number) => string): string | undefined {
  const parts = [
    filter.actual === undefined ? undefined : `true ${labelOf(filter.actual)}`,
    filter.predicted === undefined ? undefined : `predicted ${labelOf(filter.predicted)}`,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(' → ') : undefined;
}

/** A percentage for a probability, "91%" or "0.4%" (small ones keep a decimal). */
export const percent = (p: number): string => `${p >= 0.1 ? Math.round(p * 100) : (p * 100).toFixed(1)}%`;
