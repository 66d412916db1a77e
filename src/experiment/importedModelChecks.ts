/**
 * Checks of an experiment whose model is imported from an ONNX file (`"model": { "onnx": … }`):
 * the file exists and Model Lab can train it (every op supported, something to train, one
 * input and output or the named ones), the task fits its output, and once the data is
 * loaded, the data's examples fit its input and targets its output. Problems land on the
 * model field they concern, with the importer's own explanation.
 */
import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import type { JSONPath } from 'jsonc-parser';
import type { Experiment, OnnxModelSection } from '../contract/experiment';
import { encodedColumns } from '../contract/inputEncoding';
import type { Dataset } from '../data/api';
import { headFor, importPlanFor, inputEncodingOf } from '../data/importedModel';
import { resolveSource } from '../data/resolveSource';
import type { ImportPlan, NewHead } from '../engine/onnx';
import { onnxImporter } from '../engine/onnxImporter';
import type { Severity } from './problems';

export interface ProblemSink {
  add(path: JSONPath, message: string, severity?: Severity): void;
}

type DatasetFacts = Pick<
  Dataset,
  'inputKind' | 'inputShape' | 'outputShape' | 'source' | 'textPairs' | 'labelsRead'
>;

const show = (shape: (number | string)[]): string => `[${shape.join(', ')}]`;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Reads and plans the model; reports why it cannot and returns undefined then. */
function planOrReport(
  model: OnnxModelSection,
  experimentDir: string,
  report: ProblemSink,
  head?: Omit<NewHead, 'output'>,
) {
  const path = resolveSource(model.onnx, experimentDir);
  if (!existsSync(path)) {
    report.add(
      ['model', 'onnx'],
      l10n.t('the model file "{0}" does not exist (paths are relative to this experiment file)', model.onnx),
    );
    return undefined;
  }
  try {
    return importPlanFor(model, experimentDir, head);
  } catch (error) {
    if (!(error instanceof onnxImporter().OnnxImportError)) throw error;
    report.add(fieldOf(error.message, model), l10n.t('{0}: {1}', model.onnx, error.message));
    return undefined;
  }
}

/** The model field an import error concerns: the entry it names, else the file. */
function fieldOf(message: string, model: OnnxModelSection): JSONPath {
  const named = /^(sizes|fill) (?:names|gives) ([^,\s]+)/.exec(message);
  if (named) return ['model', named[1], named[2]];
  if (message.startsWith('newHead:')) return ['model', 'newHead'];
  if (message.startsWith('freeze "backbone":')) return ['model', 'freeze'];
  if (/no output named/.test(message)) return ['model', 'output'];
  if (/no input named/.test(message)) return ['model', 'input'];
  if (model.sizes && /how long/.test(message)) return ['model', 'sizes'];
  if (model.fill && /which the data does not feed/.test(message)) return ['model', 'fill'];
  return ['model', 'onnx'];
}

/** The output's declared dims after the batch, when all are numbers. */
function outputDims(plan: ImportPlan): number[] | undefined {
  const dims = plan.output.dims.slice(1);
  return dims.every((d) => typeof d === 'number') ? (dims as number[]) : undefined;
}

export function checkImportedModel(
  experiment: Experiment,
  model: OnnxModelSection,
  experimentDir: string,
  report: ProblemSink,
): void {
  const extra = model as { layers?: unknown; input?: unknown };
  if (extra.layers !== undefined)
    report.add(
      ['model', 'layers'],
      l10n.t('an imported model takes its layers from its ONNX file: remove "layers"'),
    );
  if (extra.input !== undefined && typeof extra.input !== 'string')
    report.add(
      ['model', 'input'],
      l10n.t(
        'for an imported model, "input" names a graph input; the shape of an example comes from the ONNX file',
      ),
    );
  if (experiment.probe)
    report.add(['probe'], l10n.t('attention probes are not recorded for imported models'), 'warning');
  if (model.newHead && experiment.task === 'language-model')
    report.add(
      ['model', 'newHead'],
      l10n.t(
        'a language model\'s last layer scores the tokens its tokenizer knows, so it keeps its own: remove "newHead"',
      ),
    );
  const plan = planOrReport(model, experimentDir, report);
  if (!plan) return;
  const output = outputDims(plan);
  if (output && experiment.task === 'classification' && output.length !== 1)
    report.add(
      ['model', 'onnx'],
      l10n.t(
        'a classifier must output one score per class, but {0} is {1}',
        plan.output.name,
        show(plan.output.dims),
      ),
    );
  checkEncodedColumns(experiment, model, plan, report);
}

/**
 * A Model Lab model.onnx of a table reads the columns its metadata names, encoded as it says
 * (data/importedModel.ts): the data section's own choice of columns is not what it reads.
 */
function checkEncodedColumns(
  experiment: Experiment,
  model: OnnxModelSection,
  plan: ImportPlan,
  report: ProblemSink,
): void {
  const { inputEncoding } = inputEncodingOf(plan.model);
  if (!inputEncoding) return;
  const columns = encodedColumns(inputEncoding);
  for (const field of ['columns', 'categorical'] as const)
    if (experiment.data[field] !== undefined)
      report.add(
        ['data', field],
        l10n.t(
          '{0} reads the columns {1} by name, encoded as its metadata says: data.{2} is not used, remove it',
          model.onnx,
          columns.map((c) => `"${c}"`).join(', '),
          field,
        ),
        'warning',
      );
}

export function checkImportedAgainstDataset(
  experiment: Experiment,
  model: OnnxModelSection,
  experimentDir: string,
  dataset: DatasetFacts,
  report: ProblemSink,
  /** Scoring the model as it is (Evaluate on data…): a new last layer is no remedy then. */
  evaluating = false,
): void {
  const plan = planOrReport(model, experimentDir, report);
  if (!plan) return;
  if (dataset.textPairs) checkPairTypeIds(model, dataset.textPairs, report);
  if (dataset.labelsRead && !evaluating) checkClassIndices(model, dataset, report);
  const at: JSONPath = ['model', model.input ? 'input' : 'onnx'];
  if (plan.inputKind !== dataset.inputKind) {
    report.add(
      at,
      l10n.t(
        '{0} takes {1}, but {2} gives {3}',
        plan.input.name,
        plan.inputKind === 'tokens' ? l10n.t('int64 token ids') : l10n.t('float32 features'),
        dataset.source,
        dataset.inputKind === 'tokens' ? l10n.t('token ids') : l10n.t('numbers'),
      ),
    );
    return;
  }
  if (size(plan.inputShape) !== size(dataset.inputShape)) {
    // A named axis takes its size from "sizes": that is the field to change.
    const sized = model.sizes && plan.input.dims.slice(1).some((d) => typeof d === 'string');
    report.add(
      sized ? ['model', 'sizes'] : at,
      l10n.t(
        'the data gives examples of shape {0} ({1} values), but input {2} of {3} takes {4} ({5} values) per example',
        show(dataset.inputShape),
        size(dataset.inputShape),
        plan.input.name,
        model.onnx,
        show(plan.inputShape),
        size(plan.inputShape),
      ),
    );
    return;
  }
  const headed =
    model.newHead && experiment.task !== 'language-model'
      ? planOrReport(model, experimentDir, report, headFor(experiment, dataset.outputShape))
      : plan;
  if (!headed) return;
  const output = outputDims(headed);
  // Scores per token: the last axis, known even where the positions axis is symbolic.
  const modelTokens = plan.output.dims.at(-1);
  const textTokens = dataset.outputShape.at(-1) ?? 0;
  // The text's characters are the token ids (sorted): one beyond the model's vocabulary has no embedding.
  if (experiment.task === 'language-model' && typeof modelTokens === 'number' && textTokens > modelTokens)
    report.add(
      ['model', model.output ? 'output' : 'onnx'],
      l10n.t(
        'the text has {0} different characters (tokens), but {1} of {2} knows {3}: use text with no more characters than that',
        textTokens,
        plan.output.name,
        model.onnx,
        modelTokens,
      ),
    );
  if (!output || size(output) === size(dataset.outputShape) || experiment.task === 'language-model') return;
  if (evaluating) {
    report.add(
      ['model', 'onnx'],
      outputMismatchWhenEvaluating(experiment, plan.output.name, model.onnx, output, dataset),
    );
    return;
  }
  report.add(
    ['model', model.output ? 'output' : 'onnx'],
    l10n.t(
      '{0} of {1} gives {2} per example, but the data needs {3}: add "newHead": true to train a new last layer of that size in place of its own',
      plan.output.name,
      model.onnx,
      show(output),
      show(dataset.outputShape),
    ),
  );
}

/**
 * The data's targets do not fit the model's scores. A classifier scores its own classes: data
 * labelled with its class indices (or its class names, data/modelClasses.ts) fits it, whichever of
 * them the data holds.
 */
function outputMismatchWhenEvaluating(
  experiment: Experiment,
  outputName: string,
  file: string,
  output: number[],
  dataset: DatasetFacts,
): string {
  if (experiment.task === 'classification' && output.length === 1 && dataset.outputShape.length === 1)
    return l10n.t(
      "{0} of {1} scores {2} classes, but the data's {3} labels are not all among them: label the examples with its class indices, 0 to {4}",
      outputName,
      file,
      output[0],
      dataset.outputShape[0],
      output[0] - 1,
    );
  return l10n.t(
    '{0} of {1} gives {2} per example, but the data needs {3}',
    outputName,
    file,
    show(output),
    show(dataset.outputShape),
  );
}

/**
 * Integer labels below the model's class count are read as its class indices. Data holding only
 * some of them may be a subset of its classes (two digits of ten), or classes of the user's own
 * numbered from 0 (three kinds of flower for an ImageNet model), which want a new last layer: a
 * warning says which reading was made, and the fix if it was the wrong one.
 */
function checkClassIndices(model: OnnxModelSection, dataset: DatasetFacts, report: ProblemSink): void {
  const { by, held } = dataset.labelsRead!;
  const [count] = dataset.outputShape;
  if (by !== 'indices' || held === count) return;
  report.add(
    ['model', 'onnx'],
    l10n.t(
      'the labels are read as class indices of {0}: the data holds {1} of its {2} classes. If they are classes of your own, add "newHead": true to train a new last layer for them',
      model.onnx,
      held,
      count,
    ),
    'warning',
  );
}

/**
 * Pairs of texts read by a tokenizer that gives the second text type id 1 (BERT): a type ids
 * input filled with one value would read both texts as one, unlike the model's pretraining. A
 * warning: training works, only worse.
 */
function checkPairTypeIds(
  model: OnnxModelSection,
  { secondTextAfter, padId }: NonNullable<DatasetFacts['textPairs']>,
  report: ProblemSink,
): void {
  if (secondTextAfter === undefined || padId === undefined) return;
  for (const [name, value] of Object.entries(model.fill ?? {}))
    if (/type/i.test(name) && (typeof value === 'number' || value.secondTextAfter === undefined))
      report.add(
        ['model', 'fill', name],
        l10n.t(
          'the data holds pairs of texts, but {0} does not tell them apart: give it the type ids of pairs, "{0}": {1}',
          name,
          `{ "padToken": ${padId}, "secondTextAfter": ${secondTextAfter} }`,
        ),
        'warning',
      );
}
