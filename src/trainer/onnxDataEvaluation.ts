/**
 * "Evaluate on data…" of the .onnx model view: the model as it is (eval mode, no training)
 * scored on every example of a data file. The file is read as the fine-tuning scaffold reads
 * it (experiment/onnxExperiment.ts): CSV features unscaled and row-major in the model's input
 * shape, the labels or targets in the `label` column, else the last one. Data that does not fit
 * the model is refused with the import checks' message before anything runs. A model with
 * several inputs is fed as Fine-tune… would feed it; named axes (a sequence length the export
 * left open) take the sizes the user gave, and a single one left unsized fits a table of token
 * ids. A model beside its tokenizer.json reads text through that tokenizer: a language model's
 * text file, or a table whose features are texts (one column, or two for pairs of texts). A
 * Model Lab model.onnx of a table reads its columns by name, encoded as its metadata says.
 */
import { basename, dirname, resolve } from 'node:path';
import { countedClasses } from '../contract/evalReport';
import { encodedColumns } from '../contract/inputEncoding';
import { DataError } from '../data/api';
import { evaluationTarget, readTableHead, textColumns } from '../data/tableHead';
import type { OnnxModelSection } from '../contract/experiment';
import { importPlanFor, inputEncodingOf } from '../data/importedModel';
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
  givenDataPath: string,
  deps: TrainerDeps,
  sizes: Readonly<Record<string, number>> = {},
): Promise<OnnxEvaluation> {
  const modelDir = dirname(modelPath);
  // The data is declared as an experiment beside the model declares it: a relative path (the
  // CLI's) would be read from the model's folder, not from where it was given.
  const dataPath = resolve(givenDataPath);
  const head = readTableHead(dataPath);
  const columns = head?.columns ?? [];
  // A model saved with its tokenizer (save_pretrained) reads a text as that tokenizer's tokens.
  const tokenizer = tokenizerBeside(modelDir);
  const texts = head && tokenizer ? textColumns(head) : [];
  const onnxModel = readOnnxFile(modelPath);
  const file = basename(modelPath);
  // Texts are as long as the size given, not as many tokens as the table has columns.
  const plan = importPlanFor(
    { onnx: file, ...evaluationOptions(onnxModel, texts.length ? 0 : columns.length - 1, sizes) },
    modelDir,
  );
  // A Model Lab model.onnx of a table reads its columns by name; the target is another one.
  const { inputEncoding } = inputEncodingOf(onnxModel);
  const read = inputEncoding ? encodedColumns(inputEncoding) : [];
  const experiment = onnxEvaluationExperiment(
    plan,
    file,
    dataPath,
    evaluationTarget(columns, read),
    tokenizer,
    plan.inputKind === 'tokens' ? texts : [],
  );
  const model = experiment.model as OnnxModelSection;
  const problems: string[] = [];
  try {
    const dataset = await deps.loadDataset(experiment, modelDir);
    checkImportedAgainstDataset(
      experiment,
      model,
      modelDir,
      dataset,
      { add: (_at, message) => problems.push(message) },
      true,
    );
    if (problems.length) throw new DataError(problems.join('; '), dataPath);
    const compiled = await deps.compileModel(compileOptionsFor(experiment, dataset, 'cpu', modelDir));
    try {
      const scores = await evaluateSplit(compiled, dataset, experiment, 'test');
      // A classifier's classes (a language model's tokens are not reported one by one), the
      // classes counted only: a thousand-class model scored on three reports three.
      const classification = experiment.task === 'classification' ? scores.classification : undefined;
      const classes = classification
        ? countedClasses(classification.classes, classification.confusion).map(
            (id) => classification.classes[id],
          )
        : undefined;
      return {
        task: experiment.task,
        count: scores.count,
        values: scoreValues(scores, experiment),
        ...(classes ? { classes } : {}),
      };
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
