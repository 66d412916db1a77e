// Pure formatting for the .onnx model view, kept apart from the DOM so it is unit-tested.
import * as l10n from '@vscode/l10n';
import { metricInfo } from '../../src/contract/metrics';
import { formatBytes } from '../../src/contract/modelSummaryText';
import { metricText } from '../shared/metricText';
import type {
  CompatibilityReport,
  OnnxDimension,
  OnnxModelSummary,
  OnnxTokenizerInfo,
} from '../../src/contract/onnxModel';
import type { OnnxEvaluation } from '../../src/protocol/onnxEvaluate';

/** A declared shape, symbolic dimensions by name: "batch × 1 × 8 × 8"; a scalar as "scalar". */
export function formatDims(dims: readonly OnnxDimension[]): string {
  return dims.length ? dims.join(' × ') : l10n.t('scalar');
}

/** A count with thousands separators, the same in every locale of the webview: "12,345". */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The one-line answer above the buttons: can Model Lab fine-tune this model as it stands? */
export function importStatus(summary: OnnxModelSummary): { ok: boolean; text: string } {
  if (summary.importProblem !== undefined)
    return { ok: false, text: l10n.t('Model Lab cannot fine-tune this model: {0}', summary.importProblem) };
  const trained = formatCount(summary.trainableCount);
  const all = formatCount(summary.parameterCount);
  const fromIds = summary.tokenizer?.fromIds ?? {};
  const constant = Object.entries(summary.filledInputs ?? {}).filter(([name]) => !(name in fromIds));
  const notes = [
    ...(summary.tokenizer ? [tokenizerNote(summary.tokenizer)] : []),
    ...(constant.length
      ? [
          l10n.t(
            'Fine-tuning feeds {0} at every position.',
            constant.map(([name, value]) => `${name} = ${value}`).join(', '),
          ),
        ]
      : []),
    ...(summary.unsizedAxes?.length
      ? [l10n.t('Fine-tune… asks for the size of {0} in one example.', summary.unsizedAxes.join(', '))]
      : []),
  ];
  return {
    ok: true,
    text: [
      l10n.t('Model Lab can fine-tune this model: {0} of {1} parameter values train.', trained, all),
      ...notes,
    ].join(' '),
  };
}

/** Fine-tune… reads texts through the tokenizer beside the model, and computes these inputs from their ids. */
function tokenizerNote({ file, fromIds }: OnnxTokenizerInfo): string {
  const computed = Object.entries(fromIds).map(([name, kind]) =>
    kind === 'mask'
      ? l10n.t('{0} is 0 at the padding', name)
      : l10n.t('{0} is 1 on the second text of a pair', name),
  );
  return computed.length
    ? l10n.t('Fine-tune… reads texts through {0} beside it: {1}.', file, computed.join(', '))
    : l10n.t('Fine-tune… reads texts through {0} beside it.', file);
}

const number = (value: number | null) => (value === null ? l10n.t('not a number') : value.toExponential(2));

/** The check's verdict as a sentence, then its figures, one line each. */
export function checkLines(report: CompatibilityReport): { ok: boolean; verdict: string; details: string[] } {
  const verdict = {
    trainable: () =>
      l10n.t(
        'Trainable: the training graph builds, the forward matches onnxruntime and the gradients match finite differences.',
      ),
    unsupported: () => l10n.t('Not trainable: Model Lab cannot import this model.'),
    'numeric-check-failed': () => l10n.t('Not trainable: a numeric check failed.'),
  }[report.verdict]();
  const details: string[] = [];
  if (report.input !== undefined && report.output !== undefined)
    details.push(l10n.t('Input {0} → output {1}', report.input, report.output));
  if (report.assumed?.length) details.push(l10n.t('Checked with: {0}', report.assumed.join(', ')));
  if (report.forwardDifference !== undefined)
    details.push(
      l10n.t(
        'Forward vs onnxruntime (random inputs, batch {1}): largest difference {0}',
        number(report.forwardDifference),
        report.batch ?? 2,
      ),
    );
  for (const g of report.gradientChecks ?? [])
    details.push(
      g.inconclusive
        ? l10n.t(
            'Gradient of {0} vs finite differences: not confirmed, they did not settle at any step size in float32 (best relative error {1})',
            g.parameter,
            number(g.relativeError),
          )
        : l10n.t(
            'Gradient of {0} vs finite differences: relative error {1}',
            g.parameter,
            number(g.relativeError),
          ),
    );
  details.push(...report.problems);
  return { ok: report.verdict === 'trainable', verdict, details };
}

/**
 * The training-memory estimate as one line, for a model Model Lab can fine-tune, at the batch
 * size and with the optimizer Fine-tune… scaffolds: "Estimated fine-tuning memory at batch 16:
 * about 116 kB (9 kB for parameters, gradients and optimizer state; 107 kB for activations,
 * 834 values per example)".
 */
export function memoryLine(summary: OnnxModelSummary): string | undefined {
  const { memory } = summary;
  if (!memory) return undefined;
  return l10n.t(
    'Estimated fine-tuning memory at batch {1}: about {0} ({2} for parameters, gradients and optimizer state; {3} for activations, {4} values per example)',
    formatBytes(memory.totalBytes),
    memory.batchSize,
    formatBytes(memory.parameterBytes),
    formatBytes(memory.activationBytes),
    formatCount(memory.activationsPerExample),
  );
}

/** The scores of "Evaluate on data…" as one line: "96 examples of data.csv: loss 1.0986 · accuracy 0.3333". */
export function evaluationLine(data: string, evaluation: OnnxEvaluation): string {
  const scores = Object.entries(evaluation.values).map(
    ([name, value]) =>
      `${metricText(metricInfo(name)?.label ?? name)} ${value === null ? l10n.t('not a number') : Number(value.toPrecision(5))}`,
  );
  return evaluation.count === 1
    ? l10n.t('1 example of {0}: {1}', data, scores.join(' · '))
    : l10n.t('{0} examples of {1}: {2}', formatCount(evaluation.count), data, scores.join(' · '));
}

/** What the output table says of an output: a classifier's names its classes, a few of them. */
export function outputRole(summary: OnnxModelSummary, name: string): string {
  const classes = summary.classes;
  if (!classes || summary.outputs[0]?.name !== name) return l10n.t('output');
  const shown = classes.length > CLASSES_SHOWN ? [...classes.slice(0, CLASSES_SHOWN), '…'] : classes;
  return l10n.t('output, scores of {0} classes: {1}', classes.length, shown.join(', '));
}

/** Class names the output's row lists before "…" (an ImageNet model has a thousand). */
const CLASSES_SHOWN = 10;

/**
 * An input's role in the view's table: the data's, filled with one value by fine-tuning, or
 * computed from the token ids (with a tokenizer beside the model).
 */
export function inputRole(summary: OnnxModelSummary, name: string): string {
  const table = summary.tableColumns;
  if (table && summary.inputs[0]?.name === name)
    return table.categorical.length
      ? l10n.t(
          'input, a row of the columns {0}, then {1} one-hot',
          table.numeric.join(', '),
          table.categorical.join(', '),
        )
      : l10n.t('input, a row of the columns {0}', table.numeric.join(', '));
  const fromIds = summary.tokenizer?.fromIds[name];
  if (fromIds === 'mask') return l10n.t('input, the mask of the padding');
  if (fromIds === 'types') return l10n.t("input, a pair's type ids");
  const filled = summary.filledInputs?.[name];
  return filled === undefined ? l10n.t('input') : l10n.t('input, filled with {0}', filled);
}
