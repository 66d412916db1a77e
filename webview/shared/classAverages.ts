/**
 * Averages of the per-class scores, as scikit-learn's classification_report gives them:
 * macro (each class counts the same, so a rare class that fails drags it down) and weighted
 * (each class by its support, closer to accuracy on unbalanced data).
 */
import { countedClasses, type ClassReport } from '../../src/contract/evalReport';

export interface ClassAverage {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function classAverages(
  all: readonly ClassReport[],
  confusion?: readonly (readonly number[])[],
): {
  macro: ClassAverage;
  weighted: ClassAverage;
} {
  const counted = new Set(countedClasses(all, confusion));
  const classes = all.filter((_, id) => counted.has(id));
  const support = classes.reduce((sum, c) => sum + c.support, 0);
  const mean = (score: (c: ClassReport) => number, weight: (c: ClassReport) => number, total: number) =>
    total === 0 ? 0 : classes.reduce((sum, c) => sum + score(c) * weight(c), 0) / total;
  const average = (weight: (c: ClassReport) => number, total: number): ClassAverage => ({
    precision: mean((c) => c.precision, weight, total),
    recall: mean((c) => c.recall, weight, total),
    f1: mean((c) => c.f1, weight, total),
    support,
  });
  return { macro: average(() => 1, classes.length), weighted: average((c) => c.support, support) };
}
