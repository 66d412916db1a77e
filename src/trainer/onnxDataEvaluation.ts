/**
 * "Evaluate on data…" of the .onnx model view: the model as it is (eval mode, no training)
 * scored on every example of a data file. The file is read as the fine-tuning scaffold reads
 * it (experiment/onnxExperiment.ts): CSV features unscaled and row-major in the model's input
 * shape, the labels or targets in the `label` column, else the last one. Data that does not fit
 * the model is refused with the import checks' message before anything runs. A model with
 * several inputs is fed as Fine-tune… would feed it; named axes (a sequence length the export
 * left open) take the sizes the user gave, and a single one left unsized fits the table. A
 * language model beside its tokenizer.json reads the text through that tokenizer.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataError } from '../data/api';
import { isTableFile, parseCsv, tableDelimiter } from '../data/csv';
import type { OnnxModelSection } from '../contract/experiment';
import { importPlanFor } from '../data/importedModel';
import { tokenizerBeside } from '../data/textTokenizer';
import { importDefaults, readOnnxFile, type OnnxModel } from '../engine/onnx';
import { checkImportedAgainstDataset } from '../experiment/importedModelChecks';
import { onnxEvaluationExperiment } from '../experiment/onnxExperiment';
import type { OnnxEvaluation } from '../protocol/onnxEvaluate';
import { evaluateSplit, scoreValues } from './evaluation';
import { compileOptionsFor } from './trainer';
import type { TrainerDeps } from './trainerDeps';

export async function evaluateOnnxOnData(
  modelPath: string,
  dataPath: string,
  deps: TrainerDeps,
  sizes: Readonly<Record<string, number>> = {},
): Promise<OnnxEvaluation> {
  const modelDir = dirname(modelPath);
  const columns = tableColumns(dataPath);
  const model = {
    onnx: basename(modelPath),
    ...evaluationOptions(readOnnxFile(modelPath), columns.length - 1, sizes),
  };
  const plan = importPlanFor(model, modelDir);
  // A model saved with its tokenizer (save_pretrained) reads a text as that tokenizer's tokens.
  const tokenizer = tokenizerBeside(modelDir)?.file;
  const experiment = onnxEvaluationExperiment(plan, model.onnx, dataPath, targetColumn(columns), tokenizer);
  const problems: string[] = [];
  try {
    const dataset = await deps.loadDataset(experiment, modelDir);
    checkImportedAgainstDataset(experiment, model, modelDir, dataset, {
      add: (_at, message) => problems.push(message),
    });
    if (problems.length) throw new DataError(problems.join('; '), dataPath);
    const compiled = await deps.compileModel(compileOptionsFor(experiment, dataset, 'cpu', modelDir));
    try {
      const scores = await evaluateSplit(compiled, dataset, experiment, 'test');
      return { task: experiment.task, count: scores.count, values: scoreValues(scores, experiment) };
    } finally {
      await compiled.dispose();
    }
  } catch (error) {
    if (error instanceof DataError) throw new Error(error.format());
    throw error;
  }
}

/**
 * How the scaffold would import the model (its token ids fed, other inputs filled), named axes
 * sized as given; one left open (a sequence length) is sized to fit a table's feature columns.
 */
function evaluationOptions(
  onnxModel: OnnxModel,
  features: number,
  given: Readonly<Record<string, number>>,
): Omit<OnnxModelSection, 'onnx'> {
  const { input, fill, unsized } = importDefaults(onnxModel, { sizes: { ...given } });
  const dims = onnxModel.inputs.find((v) => v.name === input)?.dims.slice(1) ?? [];
  const fixed = dims.reduce<number>((n, d) => n * (typeof d === 'number' ? d : (given[d] ?? 1)), 1);
  // Columns that do not divide evenly are refused by the shape check, naming both shapes.
  const fitted =
    unsized.length === 1 && features > 0 ? { [unsized[0]]: Math.max(1, Math.floor(features / fixed)) } : {};
  return { ...(onnxModel.inputs.length > 1 ? { input } : {}), fill, sizes: { ...given, ...fitted } };
}

/** A CSV's `label` column when it has one, else its last column; other sources have none. */
function targetColumn(columns: string[]): string | number {
  return columns.includes('label') ? 'label' : Math.max(0, columns.length - 1);
}

/** The header cells of a table file; none for other sources. */
function tableColumns(dataPath: string): string[] {
  if (!isTableFile(dataPath) || !statSync(dataPath, { throwIfNoEntry: false })?.isFile()) return [];
  const head = Buffer.alloc(65_536);
  const fd = openSync(dataPath, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const firstLine = head.subarray(0, length).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const [header] = parseCsv(firstLine, dataPath, tableDelimiter(firstLine, dataPath));
  return header?.cells.map((c) => c.trim()) ?? [];
}
