/** Which metrics the runs table scores runs by. */
import { metricInfo } from '../metrics';

/** Families whose "better" says nothing about the run: a lower learning rate is not a better one. */
const NOT_SCORES = new Set(['lr', 'throughput']);

/** True for a metric name whose best value means a better run (loss, accuracy, MAE…). */
export function isScoreMetric(name: string): boolean {
  const info = metricInfo(name);
  return info !== undefined && !NOT_SCORES.has(info.family);
}

/** The metric keys (`split/name`) worth a column by default: the scores, not the learning rate or throughput. */
export function scoreKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => isScoreMetric(key.slice(key.indexOf('/') + 1)));
}
