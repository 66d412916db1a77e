// Pure formatting for the .onnx model view, kept apart from the DOM so it is unit-tested.
import { metricInfo } from '../../src/contract/metrics';
import type { CompatibilityReport, OnnxDimension, OnnxModelSummary } from '../../src/contract/onnxModel';
import type { OnnxEvaluation } from '../../src/protocol/onnxEvaluate';

/** A declared shape, symbolic dimensions by name: "batch × 1 × 8 × 8"; a scalar as "scalar". */
export function formatDims(dims: readonly OnnxDimension[]): string {
  return dims.length ? dims.join(' × ') : 'scalar';
}

/** A count with thousands separators, the same in every locale of the webview: "12,345". */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The one-line answer above the buttons: can Model Lab fine-tune this model as it stands? */
export function importStatus(summary: OnnxModelSummary): { ok: boolean; text: string } {
  if (summary.importProblem !== undefined)
    return { ok: false, text: `Model Lab cannot fine-tune this model: ${summary.importProblem}` };
  const trained = formatCount(summary.trainableCount);
  const all = formatCount(summary.parameterCount);
  return {
    ok: true,
    text: `Model Lab can fine-tune this model: ${trained} of ${all} parameter values train.`,
  };
}

const number = (value: number | null) => (value === null ? 'not a number' : value.toExponential(2));

/** The check's verdict as a sentence, then its figures, one line each. */
export function checkLines(report: CompatibilityReport): { ok: boolean; verdict: string; details: string[] } {
  const verdict = {
    trainable:
      'Trainable: the training graph builds, the forward matches onnxruntime and the gradients match finite differences.',
    unsupported: 'Not trainable: Model Lab cannot import this model.',
    'numeric-check-failed': 'Not trainable: a numeric check failed.',
  }[report.verdict];
  const details: string[] = [];
  if (report.input !== undefined && report.output !== undefined)
    details.push(`Input ${report.input} → output ${report.output}`);
  if (report.forwardDifference !== undefined)
    details.push(
      `Forward vs onnxruntime (random inputs, batch 2): largest difference ${number(report.forwardDifference)}`,
    );
  for (const g of report.gradientChecks ?? [])
    details.push(
      `Gradient of ${g.parameter} vs finite differences: relative error ${number(g.relativeError)}`,
    );
  details.push(...report.problems);
  return { ok: report.verdict === 'trainable', verdict, details };
}

/** The scores of "Evaluate on data…" as one line: "96 examples of data.csv: loss 1.0986 · accuracy 0.3333". */
export function evaluationLine(data: string, evaluation: OnnxEvaluation): string {
  const scores = Object.entries(evaluation.values).map(
    ([name, value]) =>
      `${metricInfo(name)?.label ?? name} ${value === null ? 'not a number' : Number(value.toPrecision(5))}`,
  );
  const examples = `${formatCount(evaluation.count)} example${evaluation.count === 1 ? '' : 's'}`;
  return `${examples} of ${data}: ${scores.join(' · ')}`;
}
