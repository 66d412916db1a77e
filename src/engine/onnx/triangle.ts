/**
 * Which elements of a [rows, cols] matrix Trilu keeps: the importer's mask (triangularOps.ts)
 * and the folding of a known input (fold.ts, a causal mask made from the sequence length) agree.
 */
export function keptTriangle(rows: number, cols: number, k: number, upper: boolean): number[] {
  return Array.from({ length: rows * cols }, (_, e) => {
    const d = (e % cols) - Math.floor(e / cols);
    return (upper ? d >= k : d <= k) ? 1 : 0;
  });
}
