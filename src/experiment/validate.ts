/**
 * Validation of an experiment file before any training starts: JSON syntax,
 * the schema's basics, then what the schema cannot express — split
 * fractions, loss / task fit, shapes through the layers, the data source, and
 * (once the dataset is loaded) input shape, vocabulary and output size
 * against the data. Plain Node: used by the editor's diagnostics and the CLI.
 */
import { existsSync, statSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { totalmem } from 'node:os';
import {
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type JSONPath,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { DatasetFacts, LoadDatasetFacts } from '../data/api';
import { BUILTIN_DATASETS, BUILTIN_PREFIX, builtinInfo } from '../data/builtins';
import { isTableFile } from '../data/csv';
import { DataError } from '../data/dataError';
import { loadDataset, resolveSource } from '../data/loadDataset';
import { estimateMemory, formatBytes } from './memoryEstimate';
import { firstTooDeep, MAX_NESTING } from './nestingDepth';
import { Locator, type Problem, type Severity } from './problems';
import { schemaIssues } from './schemaChecks';
import { checkSweep } from './sweep/sweepChecks';
import { inferShapes, layersInputKind } from './shapes';
import {
  isOnnxModel,
  isSplitFiles,
  type Experiment,
  type Layer,
  type LayersModelSection,
  type ModelSection,
} from '../contract/experiment';
import { checkImportedAgainstDataset, checkImportedModel } from './importedModelChecks';
import type { InputKind } from '../contract/inputKind';
import { metricsForTask } from '../contract/metrics';

export type { Problem, Range, Position, Severity } from './problems';
export { formatProblems } from './problems';
export { inferShapes } from './shapes';

export interface TextValidation {
  problems: Problem[];
  /** The parsed experiment when the file has no errors so far. */
  experiment?: Experiment;
}

class Report {
  readonly problems: Problem[] = [];
  constructor(readonly locator: Locator) {}
  add(path: JSONPath, message: string, severity: Severity = 'error'): void {
    this.problems.push({ message, severity, range: this.locator.rangeOf(path) });
  }
  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }
}

const show = (shape: number[]): string => `[${shape.join(', ')}]`;

/** An experiment whose model is described by its layers (not imported). */
type LayersExperiment = Experiment & { model: LayersModelSection };

/**
 * The schema lets `model` be either kind; a layers model needs its input shape and layers.
 * Returns whether both are there.
 */
function checkLayersModelFields(model: ModelSection, report: Report): boolean {
  let complete = true;
  for (const field of ['input', 'layers'] as const) {
    if (model[field] === undefined) {
      report.add(
        ['model'],
        l10n.t('model is missing "{0}" (or "onnx" to import a model from an ONNX file)', field),
      );
      complete = false;
    }
  }
  if (typeof model.input === 'string') {
    report.add(
      ['model', 'input'],
      l10n.t('model.input must be an object with a "shape" (a name only for imported "onnx" models)'),
    );
    complete = false;
  }
  return complete;
}

/** An experiment document parsed once; every check below reads this tree. */
export interface ParsedExperiment {
  text: string;
  root: Node | undefined;
  syntaxErrors: ParseError[];
  /** Offset of the bracket nested too deep; the text is then not parsed at all (no tree). */
  tooDeepAt?: number;
}

export function parseExperimentText(text: string): ParsedExperiment {
  // The parser and every check recurse: a file nested thousands deep would overflow the stack.
  const tooDeepAt = firstTooDeep(text);
  if (tooDeepAt !== undefined) return { text, root: undefined, syntaxErrors: [], tooDeepAt };
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: false, disallowComments: false });
  return { text, root, syntaxErrors };
}

/** Checks that need only the text and the file system (no data loading). */
export function validateExperimentText(text: string, experimentDir: string): TextValidation {
  return checkParsed(parseExperimentText(text), experimentDir).validation;
}

function checkParsed(
  parsed: ParsedExperiment,
  experimentDir: string,
): { validation: TextValidation; report: Report } {
  const locator = new Locator(parsed.text, parsed.root);
  if (parsed.tooDeepAt !== undefined) {
    const message = l10n.t(
      'the JSON nests more than {0} levels deep here; an experiment file never needs that, remove the extra nesting',
      MAX_NESTING,
    );
    const problems: Problem[] = [{ message, severity: 'error', range: locator.range(parsed.tooDeepAt, 1) }];
    return { validation: { problems }, report: new Report(locator) };
  }
  const report = new Report(locator);
  for (const error of parsed.syntaxErrors) {
    report.problems.push({
      message: l10n.t('invalid JSON: {0}', printParseErrorCode(error.error)),
      severity: 'error',
      range: locator.range(error.offset, error.length),
      origin: 'syntax',
    });
  }
  const done = (experiment?: Experiment) => ({
    validation: { problems: report.problems, experiment },
    report,
  });
  if (!parsed.root || parsed.syntaxErrors.length > 0) return done();
  const document: unknown = getNodeValue(parsed.root);
  for (const issue of schemaIssues(document)) report.add(issue.path, issue.message);
  if (report.hasErrors) return done();

  const experiment = document as Experiment;
  checkSplits(experiment, report);
  checkLossAndMetrics(experiment, report);
  checkSource(experiment, experimentDir, report);
  // The sweep is checked last: its trials are this experiment with some settings changed.
  const doneWithSweep = () => {
    if (!report.hasErrors) checkSweep(experiment, report, (config) => trialErrors(config, experimentDir));
    return done(report.hasErrors ? undefined : experiment);
  };
  if (isOnnxModel(experiment.model)) {
    checkImportedModel(experiment, experiment.model, experimentDir, report);
    return doneWithSweep();
  }
  if (!checkLayersModelFields(experiment.model, report)) return done();
  const layersExperiment = experiment as LayersExperiment;
  checkSeries(layersExperiment, report);
  checkMissingOption(layersExperiment.data, report);
  if (checkLayerShapes(layersExperiment, inputKindWithoutData(layersExperiment), report))
    checkMemory(layersExperiment, inputKindWithoutData(layersExperiment), report);
  checkCausal(layersExperiment, report);
  return doneWithSweep();
}

/** The errors of one sweep trial's config, checked as an experiment file of its own. */
function trialErrors(config: Experiment, experimentDir: string): string[] {
  const { validation } = checkParsed(parseExperimentText(JSON.stringify(config)), experimentDir);
  return validation.problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

/**
 * Everything: the text checks, then the dataset is loaded and the model is
 * checked against it. Data errors (a ragged CSV row, an empty text) are
 * reported on `data.source`, naming the data file and its line. The
 * experiment comes back only when there is no error at all.
 */
export async function validateExperiment(
  parsed: ParsedExperiment,
  experimentDir: string,
  load: LoadDatasetFacts = loadDataset,
): Promise<TextValidation> {
  const { validation, report } = checkParsed(parsed, experimentDir);
  const experiment = validation.experiment;
  if (!experiment) return validation;
  try {
    const dataset = await load(experiment, experimentDir);
    checkBatchFits(experiment, dataset, report);
    if (isOnnxModel(experiment.model))
      checkImportedAgainstDataset(experiment, experiment.model, experimentDir, dataset, report);
    else checkAgainstDataset(experiment as LayersExperiment, dataset, report);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    report.add(error.field ?? ['data', 'source'], error.format());
  }
  return { problems: report.problems, experiment: report.hasErrors ? undefined : experiment };
}

function checkSplits({ data }: Experiment, report: Report): void {
  if (isSplitFiles(data.source)) {
    if (data.splits)
      report.add(
        ['data', 'splits'],
        l10n.t('data.splits is not used: data.source names a file for each split'),
        'warning',
      );
    return;
  }
  // A single source without splits: the schema reports the missing field.
  if (!data.splits) return;
  const { train, validation, test } = data.splits;
  const sum = train + validation + test;
  if (Math.abs(sum - 1) > 1e-6) {
    report.add(
      ['data', 'splits'],
      l10n.t('split fractions sum to {0}; they must sum to 1', Number(sum.toFixed(6))),
    );
  }
  if (train === 0)
    report.add(['data', 'splits', 'train'], l10n.t('the training split is empty: nothing to learn from'));
}

const LOSSES_FOR_TASK: Record<Experiment['task'], Experiment['training']['loss'][]> = {
  classification: ['cross-entropy', 'bce-with-logits'],
  'language-model': ['cross-entropy'],
  regression: ['mse'],
};

function checkLossAndMetrics(experiment: Experiment, report: Report): void {
  const { task, training } = experiment;
  const losses = LOSSES_FOR_TASK[task];
  if (!losses.includes(training.loss)) {
    report.add(
      ['training', 'loss'],
      l10n.t(
        'loss "{0}" does not fit a {1} task; use {2}',
        training.loss,
        task,
        losses.map((l) => `"${l}"`).join(l10n.t(' or ')),
      ),
    );
  }
  const metrics = metricsForTask(task);
  (experiment.metrics ?? []).forEach((metric, i) => {
    if (!metrics.includes(metric)) {
      report.add(
        ['metrics', i],
        l10n.t('metric "{0}" does not apply to a {1} task (use {2})', metric, task, metrics.join(', ')),
      );
    }
  });
  const watched = training.earlyStopping?.metric;
  if (watched !== undefined && watched !== 'loss' && !(experiment.metrics ?? []).includes(watched as never)) {
    report.add(
      ['training', 'earlyStopping', 'metric'],
      l10n.t(
        'early stopping watches "{0}", which is not computed: use "loss" or add it to "metrics"',
        watched,
      ),
    );
  }
  if (
    experiment.probe &&
    !(experiment.model.layers ?? []).some((l) => l.type === 'attention' || l.type === 'transformer')
  ) {
    report.add(
      ['probe'],
      l10n.t('the probe records attention maps, but the model has no attention or transformer layer'),
      'warning',
    );
  }
}

function checkSource({ data }: Experiment, experimentDir: string, report: Report): void {
  if (isSplitFiles(data.source)) {
    const first = Object.values(data.source)[0];
    for (const [split, file] of Object.entries(data.source))
      checkSplitFile(split, file, first, experimentDir, report);
    return;
  }
  if (data.source.startsWith(BUILTIN_PREFIX)) {
    if (!builtinInfo(data.source)) {
      const known = BUILTIN_DATASETS.map((b) => `"${BUILTIN_PREFIX}${b.id}"`).join(', ');
      report.add(
        ['data', 'source'],
        l10n.t('unknown built-in dataset "{0}"; built-ins are {1}', data.source, known),
      );
    }
    return;
  }
  if (!existsSync(resolveSource(data.source, experimentDir))) {
    report.add(
      ['data', 'source'],
      l10n.t('the data file "{0}" does not exist (paths are relative to this experiment file)', data.source),
    );
  }
}

/**
 * A split source is a CSV table, a .txt text or a folder of images by class that exists, of the
 * same kind as the first split's (`first`).
 */
function checkSplitFile(
  split: string,
  file: string,
  first: string,
  experimentDir: string,
  report: Report,
): void {
  const at = ['data', 'source', split];
  const path = resolveSource(file, experimentDir);
  if (!existsSync(path)) {
    report.add(
      at,
      l10n.t('the data file "{0}" does not exist (paths are relative to this experiment file)', file),
    );
    return;
  }
  const kind = splitSourceKind(path);
  if (!kind)
    report.add(
      at,
      l10n.t(
        'a split source is a .csv or .tsv table, a .txt text or a folder of images by class: "{0}" is none of them',
        file,
      ),
    );
  else if (file !== first && kind !== splitSourceKind(resolveSource(first, experimentDir)))
    report.add(
      at,
      l10n.t(
        'the split sources are all CSV tables, all text files or all image folders: "{0}" is not of the kind of "{1}"',
        file,
        first,
      ),
    );
}

function splitSourceKind(path: string): 'folder' | 'csv' | 'text' | undefined {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return 'folder';
  const name = path.toLowerCase();
  return isTableFile(name) ? 'csv' : name.endsWith('.txt') ? 'text' : undefined;
}

/** A CSV series feeds [steps, features] windows to a regression; say so before loading anything. */
function checkSeries({ data, task, model }: LayersExperiment, report: Report): void {
  if (data.format !== 'series') {
    if (data.columns !== undefined && !isTableData(data))
      report.add(
        ['data', 'columns'],
        l10n.t('columns only apply to tables (.csv, .tsv) and series: this data source has none'),
        'warning',
      );
    return;
  }
  if (isSplitFiles(data.source) || data.source.startsWith(BUILTIN_PREFIX) || !isTableFile(data.source))
    report.add(
      ['data', 'format'],
      l10n.t('a series is read from a .csv or .tsv table (one row per time step)'),
    );
  if (task !== 'regression')
    report.add(
      ['task'],
      l10n.t('a series predicts the next value: use "task": "regression", not "{0}"', task),
    );
  if (model.input.shape.length !== 2) {
    report.add(
      ['model', 'input', 'shape'],
      l10n.t(
        'a series gives windows of shape [steps, features], but model.input.shape is {0}',
        show(model.input.shape),
      ),
    );
  }
}

/** data.missing is about the cells of a table; anywhere else it would silently do nothing. */
function checkMissingOption(data: Experiment['data'], report: Report): void {
  if (data.missing !== undefined && (data.format === 'series' || !isTableData(data)))
    report.add(
      ['data', 'missing'],
      l10n.t(
        'data.missing only applies to tables (.csv, .tsv, not series): this data source has no table cells',
      ),
      'warning',
    );
}

/** Whether the data is read from tables (.csv, .tsv): one source or split files. */
function isTableData(data: Experiment['data']): boolean {
  const sources = isSplitFiles(data.source) ? Object.values(data.source) : [data.source];
  return sources.every((source) => source !== undefined && isTableFile(source));
}

/** Before the data is loaded: a model that starts with an embedding reads token ids. */
function inputKindWithoutData(experiment: LayersExperiment): InputKind {
  return layersInputKind(experiment.model.layers);
}

const LAYER_FIELDS: Partial<Record<Layer['type'], string>> = { dense: 'units', lstm: 'units', gru: 'units' };

/** Infers shapes; returns the output shape, or undefined after reporting the failing layer. */
function checkLayerShapes(
  experiment: LayersExperiment,
  inputKind: InputKind,
  report: Report,
): number[] | undefined {
  const { layers, input } = experiment.model;
  const inference = inferShapes(input.shape, inputKind, layers);
  if (inference.problem) {
    const { layer, field, message } = inference.problem;
    report.add(['model', 'layers', layer, field ?? 'type'], l10n.t('layer {0}: {1}', layer + 1, message));
    return undefined;
  }
  const output = inference.output!;
  const last = layers.length - 1;
  const lastField = ['model', 'layers', last, LAYER_FIELDS[layers[last].type] ?? 'type'];
  if (experiment.task === 'classification' && output.length !== 1) {
    report.add(
      lastField,
      l10n.t(
        'a classifier must end with one score per class, but the model outputs {0}; add flatten and dense layers',
        show(output),
      ),
    );
  }
  if (experiment.task === 'language-model' && output.length !== 2) {
    report.add(
      lastField,
      l10n.t(
        'a language model outputs [positions, vocabulary] scores, but this model outputs {0}',
        show(output),
      ),
    );
  }
  return output;
}

/** protobuf's limit on one message: model.onnx holds every weight in one. */
const ONNX_MAX_BYTES = 2 ** 31;
/** Share of the machine's memory a training run may plan to use; the rest is for the editor and the system. */
const MEMORY_SHARE = 0.8;

/** Refuses a model too large to train or export here, with the estimate and what to change. */
function checkMemory(experiment: LayersExperiment, inputKind: 'float' | 'tokens', report: Report): void {
  const { model, training } = experiment;
  const { shapes } = inferShapes(model.input.shape, inputKind, model.layers);
  const estimate = estimateMemory(
    model.layers,
    model.input.shape,
    shapes,
    training.batchSize,
    training.optimizer,
  );
  const count = (n: number): string => n.toLocaleString('en-US');
  const largest = estimate.largestLayer;
  const largestType = model.layers[largest]?.type;
  const largestPath = ['model', 'layers', largest, LAYER_FIELDS[largestType] ?? 'type'];
  const largestText = l10n.t(
    'layer {0} ({1}) holds the most, {2}',
    largest + 1,
    String(largestType),
    count(estimate.largestLayerParameters),
  );
  if (estimate.parameters * 4 > ONNX_MAX_BYTES) {
    report.add(
      largestPath,
      l10n.t(
        'the model has {0} parameters, {1} of weights: more than the {2} one ONNX file can hold, so it could not be trained or saved as model.onnx; use fewer or smaller layers ({3})',
        count(estimate.parameters),
        formatBytes(estimate.parameters * 4),
        formatBytes(ONNX_MAX_BYTES),
        largestText,
      ),
    );
    return;
  }
  const machine = totalmem();
  const allowed = machine * MEMORY_SHARE;
  if (estimate.totalBytes <= allowed) return;
  const weightsDominate = estimate.parameterBytes >= estimate.activationBytes;
  report.add(
    weightsDominate ? largestPath : ['training', 'batchSize'],
    l10n.t(
      "training would need about {0} of memory, more than the {1} Model Lab allows (80% of this machine's {2}): ",
      formatBytes(estimate.totalBytes),
      formatBytes(allowed),
      formatBytes(machine),
    ) +
      l10n.t(
        'parameters {0} ({1} parameters held {2}× for weights, gradients and {3} state), ',
        formatBytes(estimate.parameterBytes),
        count(estimate.parameters),
        estimate.parameterCopies,
        training.optimizer.type,
      ) +
      l10n.t(
        'activations {0} (a batch of {1}); ',
        formatBytes(estimate.activationBytes),
        training.batchSize,
      ) +
      (weightsDominate
        ? l10n.t('use fewer or smaller layers ({0})', largestText)
        : l10n.t('lower training.batchSize or make the layers narrower')),
  );
}

/** Attention in a language model must not see the characters it predicts. */
function checkCausal(experiment: LayersExperiment, report: Report): void {
  const { layers } = experiment.model;
  if (experiment.task === 'language-model') {
    layers.forEach((layer, i) => {
      if ((layer.type === 'attention' || layer.type === 'transformer') && !layer.causal) {
        report.add(
          ['model', 'layers', i, 'type'],
          l10n.t(
            'layer {0}: a language model\'s attention should be causal ("causal": true), otherwise each position sees the character it must predict',
            i + 1,
          ),
          'warning',
        );
      }
    });
  }
}

function checkAgainstDataset(experiment: LayersExperiment, dataset: DatasetFacts, report: Report): void {
  const { model, data } = experiment;
  const inputPath = ['model', 'input', 'shape'];
  const sameShape = (a: number[], b: number[]): boolean =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  if (!sameShape(model.input.shape, dataset.inputShape)) {
    const hint =
      dataset.inputKind === 'tokens'
        ? l10n.t(' (set it to [contextLength])')
        : data.format === 'series'
          ? l10n.t(
              ' (the series has {0} feature column(s) in data.columns: set it to {1})',
              dataset.inputShape[1],
              show(dataset.inputShape),
            )
          : dataset.inputEncoding?.categorical.length
            ? l10n.t(
                ' ({0} numeric columns + {1} = {2})',
                dataset.inputEncoding!.numeric.length,
                dataset
                  .inputEncoding!.categorical.map(
                    ({ column, categories }) => `${column} (${categories.length})`,
                  )
                  .join(' + '),
                dataset.inputShape[0],
              )
            : isTableData(data) && dataset.inputShape.length === 1
              ? l10n.t(
                  ' (the table gives {0} feature column(s), every column but the target unless data.columns lists them: set it to {1})',
                  dataset.inputShape[0],
                  show(dataset.inputShape),
                )
              : '';
    report.add(
      inputPath,
      l10n.t(
        'the data gives examples of shape {0}, not {1}{2}',
        show(dataset.inputShape),
        show(model.input.shape),
        hint,
      ),
    );
    return;
  }
  if (
    dataset.inputKind === 'tokens' &&
    data.contextLength !== undefined &&
    data.contextLength !== model.input.shape[0]
  ) {
    report.add(
      ['data', 'contextLength'],
      l10n.t(
        'contextLength {0} differs from model.input.shape {1}',
        data.contextLength,
        show(model.input.shape),
      ),
    );
  }
  const output = checkLayerShapes(experiment, dataset.inputKind, report);
  if (!output) return;
  const vocabSize = dataset.vocab?.tokens.length;
  model.layers.forEach((layer, i) => {
    if (layer.type === 'embedding' && vocabSize !== undefined && layer.vocabSize !== vocabSize) {
      report.add(
        ['model', 'layers', i, 'vocabSize'],
        l10n.t(
          'vocabSize is {0}, but {1} has {2} distinct tokens',
          layer.vocabSize,
          dataset.source,
          vocabSize,
        ),
      );
    }
  });
  const last = model.layers.length - 1;
  const lastPath = ['model', 'layers', last, LAYER_FIELDS[model.layers[last].type] ?? 'type'];
  if (!sameShape(output, dataset.outputShape)) {
    const what = dataset.classes
      ? l10n.t(
          '{0} classes ({1})',
          dataset.classes.length,
          dataset.classes.slice(0, 5).join(', ') + (dataset.classes.length > 5 ? ', …' : ''),
        )
      : vocabSize !== undefined
        ? l10n.t('a vocabulary of {0} characters', vocabSize)
        : l10n.t('{0} targets', String(dataset.outputShape.at(-1)));
    report.add(
      lastPath,
      l10n.t(
        'the model outputs {0} per example, but the data needs {1}: {2}',
        show(output),
        show(dataset.outputShape),
        what,
      ),
    );
  }
  if (experiment.probe && dataset.vocab) {
    try {
      dataset.vocab.encode(experiment.probe.text);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      report.add(['probe', 'text'], l10n.t('probe text: {0}', error.message));
    }
  }
}

/** The train-step graph has a static batch size: a training split smaller than one batch trains nothing. */
function checkBatchFits({ task, training }: Experiment, dataset: DatasetFacts, report: Report): void {
  // Language models with stepsPerEpoch draw random windows, so any text long enough for one window will do.
  if (!dataset.sizes || (task === 'language-model' && training.stepsPerEpoch !== undefined)) return;
  const examples = dataset.sizes.train;
  if (examples >= training.batchSize) return;
  report.add(
    ['training', 'batchSize'],
    examples === 1
      ? l10n.t(
          'the training split of {0} holds 1 example, fewer than one batch of {1}: lower training.batchSize or give training a larger share in data.splits',
          dataset.source,
          training.batchSize,
        )
      : l10n.t(
          'the training split of {0} holds {1} examples, fewer than one batch of {2}: lower training.batchSize or give training a larger share in data.splits',
          dataset.source,
          examples,
          training.batchSize,
        ),
  );
}
