/**
 * The result of a completed run in a few words, for the notification that ends
 * it: "digits-cnn finished: test accuracy 98.1 % (best at step 700)". The
 * user learns how good the model is without opening a panel.
 */
import * as l10n from '@vscode/l10n';
import type { EvalReport } from '../contract/evalReport';
import type { TrainerEvent } from '../protocol/training';

export interface RunResult {
  /** The test-split report (the trainer evaluates the best validated weights). */
  evaluation?: EvalReport;
  /** Step of the last best checkpoint saved. */
  bestStep?: number;
}

/** Folds the events that make a result: the test report and the best checkpoints. */
export function trackResult(result: RunResult, event: TrainerEvent): void {
  if (event.type === 'eval') result.evaluation = event.report;
  if (event.type === 'checkpoint' && event.kind === 'best') result.bestStep = event.step;
}

/** "test accuracy 98.1 %", "test RMSE 0.213", "test perplexity 5.31", or the test loss. */
export function headlineScore(report: EvalReport): string {
  if (report.accuracy !== undefined) return l10n.t('test accuracy {0} %', (report.accuracy * 100).toFixed(1));
  if (report.rmse !== undefined) return l10n.t('test RMSE {0}', Number(report.rmse.toPrecision(3)));
  if (report.perplexity !== undefined) return l10n.t('test perplexity {0}', report.perplexity.toFixed(2));
  return l10n.t('test loss {0}', report.loss.toFixed(4));
}

/** "digits-cnn finished: test accuracy 98.1 % (best at step 700)"; undefined without a test report. */
export function describeResult(experiment: string, result: RunResult): string | undefined {
  if (!result.evaluation) return undefined;
  const score = headlineScore(result.evaluation);
  return result.bestStep !== undefined
    ? l10n.t('{0} finished: {1} (best at step {2})', experiment, score, result.bestStep)
    : l10n.t('{0} finished: {1}', experiment, score);
}
