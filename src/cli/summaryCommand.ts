/**
 * `model-lab summary <experiment> [--json]`: each layer's output shape, parameters and FLOPs
 * per example, the totals and the estimated training memory. Reads only the experiment file
 * (and an imported model's ONNX file): no data is loaded, nothing is compiled.
 * Exit codes: 0 printed, 2 the experiment has errors (printed as the editor underlines them).
 */
import { dirname, resolve } from 'node:path';
import type { ModelSummary } from '../contract/modelSummary';
import { ExperimentError, readExperimentText } from '../experiment/experimentFile';
import { summarizeExperiment } from '../experiment/modelSummary';
import { SUMMARY_COLUMNS, summaryRows, summaryTotals } from '../contract/modelSummaryText';
import { formatProblems, validateExperimentText } from '../experiment/validate';

export const SUMMARY_EXIT = { printed: 0, invalid: 2 } as const;

export async function summaryCommand(file: string, options: { json?: boolean }): Promise<number> {
  let summary: ModelSummary;
  try {
    const text = await readExperimentText(file);
    const dir = dirname(resolve(file));
    const { problems, experiment } = validateExperimentText(text, dir);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 || !experiment) throw new ExperimentError(formatProblems(file, errors));
    summary = summarizeExperiment(experiment, dir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return SUMMARY_EXIT.invalid;
  }
  process.stdout.write(options.json ? JSON.stringify(summary, null, 2) + '\n' : table(summary));
  return SUMMARY_EXIT.printed;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(summary: ModelSummary): string {
  const rows = [[...SUMMARY_COLUMNS], ...summaryRows(summary)];
  const widths = SUMMARY_COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const leftAligned = new Set([1, 2]);
  const lines = rows.map((r) =>
    r.map((cell, c) => (leftAligned.has(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  const input = `Input ${JSON.stringify(summary.inputShape).replace(/,/g, ', ')}${summary.onnx ? ` (${summary.onnx})` : ''}`;
  return [input, ...lines, summaryTotals(summary), ''].join('\n');
}
