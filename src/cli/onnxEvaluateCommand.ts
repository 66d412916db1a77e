/**
 * `model-lab onnx evaluate <model.onnx> <data> [--size axis=n] [--json]`: the model as it is
 * (no training) scored on every example of a data file, as "Evaluate on data…" of the editor's
 * .onnx view scores it (trainer/onnxDataEvaluation.ts): a CSV or TSV table, a folder of images
 * by class, or a text file; a tokenizer.json beside the model reads texts.
 * Exit codes: 0 scored, 2 the model or the data cannot be used (the message says why).
 */
import * as l10n from '@vscode/l10n';
import { basename } from 'node:path';
import type { ClassReport } from '../contract/evalReport';
import { formatNumber } from '../contract/runTable/formatCell';
import { evaluateOnnxOnData } from '../trainer/onnxDataEvaluation';
import { createTrainerDeps } from '../trainer/trainerModules';
import { terminalTable } from './terminalTable';

export interface OnnxEvaluateOptions {
  json?: boolean;
  size?: Record<string, number>;
}

export async function onnxEvaluateCommand(
  model: string,
  data: string,
  options: OnnxEvaluateOptions,
): Promise<number> {
  try {
    const { task, count, values, classes } = await evaluateOnnxOnData(
      model,
      data,
      createTrainerDeps(),
      options.size,
    );
    if (options.json) {
      process.stdout.write(JSON.stringify({ model, data, task, count, values, classes }, null, 2) + '\n');
      return 0;
    }
    const scores = Object.entries(values).map(
      ([name, value]) => `${name} ${value === null ? 'NaN' : formatNumber(value)}`,
    );
    process.stdout.write(
      l10n.t('{0} on {1} ({2} examples): {3}', model, data, count, scores.join(', ')) + '\n',
    );
    if (classes?.length) process.stdout.write('\n' + classReport(classes));
    return 0;
  } catch (error) {
    // A problem of the data names its file; one of the model does not, so it is named here.
    const message = withSizeHint((error as Error).message);
    const named = message.includes(basename(data)) ? message : `${model}: ${message}`;
    process.stderr.write(l10n.t('error: {0}', named) + '\n');
    return 2;
  }
}

/** An axis the export left open is sized on the command line, not in an experiment's model section. */
function withSizeHint(message: string): string {
  const open = /the file does not say how long (.+?) (?:is|are): /.exec(message);
  if (!open) return message;
  const axes = open[1].split(' and ');
  return l10n.t(
    '{0}: give {1}',
    message.slice(0, open.index + open[0].length - 2),
    axes.map((axis) => `--size ${axis}=n`).join(' '),
  );
}

/** A classifier's scores per class, as scikit-learn's classification_report prints them. */
function classReport(classes: readonly ClassReport[]): string {
  const two = (v: number) => v.toFixed(2);
  return terminalTable(
    [l10n.t('class'), 'precision', 'recall', 'f1', l10n.t('support')],
    classes.map((c) => [c.label, two(c.precision), two(c.recall), two(c.f1), String(c.support)]),
  );
}
