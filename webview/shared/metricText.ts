/**
 * The words of the metrics table (src/contract/metrics.ts: chart titles, metric labels and full
 * titles) in the display language. The contract stays English and package-free (webviews and every
 * process share it); the translations are spelled out here so l10n-dev extracts them, and a unit
 * test fails when the table gains a word this list lacks.
 */
import * as l10n from '@vscode/l10n';

/** Each English word of the table with its `l10n.t`. */
export function metricWords(): Record<string, string> {
  return {
    Loss: l10n.t('Loss'),
    'Accuracy / F1': l10n.t('Accuracy / F1'),
    'Error (MAE / RMSE)': l10n.t('Error (MAE / RMSE)'),
    'R²': l10n.t('R²'),
    'Learning rate': l10n.t('Learning rate'),
    'Throughput (samples/s)': l10n.t('Throughput (samples/s)'),
    loss: l10n.t('loss'),
    accuracy: l10n.t('accuracy'),
    F1: l10n.t('F1'),
    'macro F1': l10n.t('macro F1'),
    precision: l10n.t('precision'),
    recall: l10n.t('recall'),
    perplexity: l10n.t('perplexity'),
    MAE: l10n.t('MAE'),
    'mean absolute error': l10n.t('mean absolute error'),
    RMSE: l10n.t('RMSE'),
    'root mean squared error': l10n.t('root mean squared error'),
    'coefficient of determination: 1 is perfect, 0 is no better than predicting the mean': l10n.t(
      'coefficient of determination: 1 is perfect, 0 is no better than predicting the mean',
    ),
    'learning rate': l10n.t('learning rate'),
    'samples/s': l10n.t('samples/s'),
    'training samples per second': l10n.t('training samples per second'),
  };
}

/** A word of the metrics table in the display language; other text (a metric the table lacks) as it is. */
export function metricText(english: string): string {
  return Object.hasOwn(metricWords(), english) ? metricWords()[english] : english;
}
