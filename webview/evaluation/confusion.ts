/**
 * Confusion matrix cells for the heatmap: each cell's share of its true-class
 * row (so a rare class with perfect recall looks as dark as a common one) and
 * the hover text naming both classes.
 */
import * as l10n from '@vscode/l10n';
export interface ConfusionCell {
  trueIndex: number;
  predictedIndex: number;
  count: number;
  /** count / row total, 0 for an empty row. */
  rowShare: number;
  hover: string;
}

export function confusionCells(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
): ConfusionCell[] {
  const cells: ConfusionCell[] = [];
  const name = (i: number) => labels[i] ?? String(i);
  matrix.forEach((row, t) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    row.forEach((count, p) => {
      const rowShare = total > 0 ? count / total : 0;
      const share = `${(rowShare * 100).toFixed(1)}%`;
      cells.push({
        trueIndex: t,
        predictedIndex: p,
        count,
        rowShare,
        hover:
          t === p
            ? l10n.t('true {0} → predicted {1}: {2} ({3} of {0}, correct)', name(t), name(p), count, share)
            : l10n.t('true {0} → predicted {1}: {2} ({3} of {0}, confused)', name(t), name(p), count, share),
      });
    });
  });
  return cells;
}
