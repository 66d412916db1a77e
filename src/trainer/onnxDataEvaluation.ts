/**
 * "Evaluate on data…" of the .onnx model view: the model as it is (eval mode, no training)
 * scored on every example of a data file. The file is read as the fine-tuning scaffold reads
 * it (experiment/onnxExperiment.ts): CSV features unscaled and row-major in the model's input
 * shape, the labels or targets in the `label` column, else the last one. Data that does not fit
 * the model is refused with the import checks' message before anything runs.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataError } from '../data/api';
import { isTableFile, parseCsv, tableDelimiter } from '../data/csv';
import { importPlanFor } from '../data/importedModel';
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
): Promise<OnnxEvaluation> {
  const modelDir = dirname(modelPath);
  const model = { onnx: basename(modelPath) };
  const plan = importPlanFor(model, modelDir);
  const experiment = onnxEvaluationExperiment(plan, model.onnx, dataPath, targetColumn(dataPath));
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

/** A CSV's `label` column when it has one, else its last column; other sources have none. */
function targetColumn(dataPath: string): string | number {
  if (!isTableFile(dataPath) || !statSync(dataPath, { throwIfNoEntry: false })?.isFile()) return 'label';
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
  const columns = header?.cells.map((c) => c.trim()) ?? [];
  return columns.includes('label') ? 'label' : Math.max(0, columns.length - 1);
}
