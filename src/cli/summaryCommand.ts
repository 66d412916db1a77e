/**
 * `model-lab summary <experiment | model.onnx> [--json] [--batch-size N] [--size axis=n]`: each layer's output
 * shape, parameters and FLOPs per example, the totals and the estimated training memory. Reads
 * the experiment file and an imported model's ONNX file, and the data only for a model whose
 * new last layer (`newHead`) the data sizes; nothing is compiled. An ONNX file is summarized as its scaffolded fine-tuning experiment would train it
 * (Adam, batch 16 unless --batch-size says otherwise), its nodes as the rows; a named axis the
 * file leaves open (a sequence length) takes its length from --size, as the experiment's `sizes`.
 * Exit codes: 0 printed, 2 the experiment has errors (printed as the editor underlines them) or
 * the ONNX file cannot be imported (the reason printed).
 */
import * as l10n from '@vscode/l10n';
import { basename, dirname, resolve } from 'node:path';
import { defaultImportOptions, importDefaults, planImport, readOnnxFile } from '../engine/onnx';
import type { ModelSummary } from '../contract/modelSummary';
import { ExperimentError, readExperimentText } from '../experiment/experimentFile';
import { summarizeOnnxFile, summarizeWithData } from '../experiment/modelSummary';
import { DataError } from '../data/dataError';
import { formatCount, SUMMARY_COLUMNS, summaryRows, summaryTotals } from '../contract/modelSummaryText';
import { formatProblems, validateExperimentText } from '../experiment/validate';

export const SUMMARY_EXIT = { printed: 0, invalid: 2 } as const;

export interface SummaryOptions {
  json?: boolean;
  batchSize?: number;
  size?: Record<string, number>;
}

export async function summaryCommand(file: string, options: SummaryOptions): Promise<number> {
  let summary: ModelSummary;
  try {
    if (file.toLowerCase().endsWith('.onnx')) summary = onnxSummary(file, options.batchSize, options.size);
    else summary = await experimentSummary(file);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return SUMMARY_EXIT.invalid;
  }
  process.stdout.write(options.json ? JSON.stringify(summary, null, 2) + '\n' : table(summary));
  return SUMMARY_EXIT.printed;
}

/** As the model view and the scaffold: the first input (or the token ids) and output, other inputs filled. */
function onnxSummary(
  file: string,
  batchSize: number | undefined,
  sizes: Record<string, number> = {},
): ModelSummary {
  try {
    const model = readOnnxFile(file);
    const { unsized } = importDefaults(model, { sizes });
    if (unsized.length)
      throw new Error(
        l10n.t(
          'the file leaves the length of {0} open; give it for one example with --size, e.g. {1}',
          unsized.join(', '),
          unsized.map((axis) => `--size ${axis}=128`).join(' '),
        ),
      );
    const plan = planImport(model, defaultImportOptions(model, sizes));
    return summarizeOnnxFile(plan, basename(file), batchSize);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function experimentSummary(file: string): Promise<ModelSummary> {
  const text = await readExperimentText(file);
  const dir = dirname(resolve(file));
  const { problems, experiment } = validateExperimentText(text, dir);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !experiment) throw new ExperimentError(formatProblems(file, errors));
  try {
    return await summarizeWithData(experiment, dir);
  } catch (error) {
    if (error instanceof DataError) throw new Error(error.format());
    throw error;
  }
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
  const activations = l10n.t(
    'Activations kept for the backward pass: {0} values per example',
    formatCount(summary.memory.activationsPerExample),
  );
  return [input, ...lines, summaryTotals(summary), activations, ''].join('\n');
}
