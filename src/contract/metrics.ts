/**
 * What Model Lab knows about each metric, in one table: the tasks whose experiments may list
 * it in `metrics`, which way is better (best checkpoint, early stopping), the chart it is
 * drawn in, and its label and full title (evaluation view). Validation, the metric monitor,
 * the evaluation view and the metrics panel's chart store read it; the schema's `metrics`
 * list is checked against it by a unit test.
 */
import type { MetricName, Task } from './experiment';

export interface MetricInfo {
  /** Tasks whose experiments may list it in `metrics`; none for what every run records. */
  tasks: readonly Task[];
  better: 'higher' | 'lower';
  /** The chart (metrics panel) it is drawn in, with the metrics of the same family. */
  family: string;
  label: string;
  title: string;
}

/** Charts of the metrics panel, in display order; a metric of another family gets its own chart after them. */
export const CHART_FAMILIES: readonly { id: string; title: string }[] = [
  { id: 'loss', title: 'Loss' },
  { id: 'accuracy', title: 'Accuracy / F1' },
  { id: 'error', title: 'Error (MAE / RMSE)' },
  { id: 'r2', title: 'R²' },
  { id: 'lr', title: 'Learning rate' },
  { id: 'throughput', title: 'Throughput (samples/s)' },
];

type RecordedMetric = 'loss' | 'precision' | 'recall' | 'lr' | 'samples_per_sec';

/** In the order validation lists a task's metrics in its messages. */
export const METRICS: Record<MetricName | RecordedMetric, MetricInfo> = {
  loss: { tasks: [], better: 'lower', family: 'loss', label: 'loss', title: 'loss' },
  accuracy: {
    tasks: ['classification', 'language-model'],
    better: 'higher',
    family: 'accuracy',
    label: 'accuracy',
    title: 'accuracy',
  },
  f1: { tasks: ['classification'], better: 'higher', family: 'accuracy', label: 'F1', title: 'macro F1' },
  precision: { tasks: [], better: 'higher', family: 'accuracy', label: 'precision', title: 'precision' },
  recall: { tasks: [], better: 'higher', family: 'accuracy', label: 'recall', title: 'recall' },
  perplexity: {
    tasks: ['language-model'],
    better: 'lower',
    family: 'perplexity',
    label: 'perplexity',
    title: 'perplexity',
  },
  mae: {
    tasks: ['regression'],
    better: 'lower',
    family: 'error',
    label: 'MAE',
    title: 'mean absolute error',
  },
  rmse: {
    tasks: ['regression'],
    better: 'lower',
    family: 'error',
    label: 'RMSE',
    title: 'root mean squared error',
  },
  r2: {
    tasks: ['regression'],
    better: 'higher',
    family: 'r2',
    label: 'R²',
    title: 'coefficient of determination: 1 is perfect, 0 is no better than predicting the mean',
  },
  lr: { tasks: [], better: 'lower', family: 'lr', label: 'learning rate', title: 'learning rate' },
  samples_per_sec: {
    tasks: [],
    better: 'higher',
    family: 'throughput',
    label: 'samples/s',
    title: 'training samples per second',
  },
};

/** What is known of a metric by its name; undefined for names the table does not hold. */
export function metricInfo(name: string): MetricInfo | undefined {
  return Object.hasOwn(METRICS, name) ? METRICS[name as keyof typeof METRICS] : undefined;
}

/** The metrics an experiment of `task` may list, in table order. */
export function metricsForTask(task: Task): MetricName[] {
  return (Object.keys(METRICS) as (keyof typeof METRICS)[]).filter((name) =>
    METRICS[name].tasks.includes(task),
  ) as MetricName[];
}
