/**
 * The metric a sweep ranks its trials by, and which way is better. Written
 * `<split>/<name>` (`test/accuracy`) or a bare name meaning the validation
 * split; by default the validation loss, lower being better.
 */
import type { SweepSection } from '../../contract/experiment';
import { metricInfo } from '../../contract/metrics';

export interface SweepMetric {
  split: string;
  name: string;
}

/** `test/accuracy` → { test, accuracy }; `accuracy` → { validation, accuracy }; undefined when malformed. */
export function parseSweepMetric(written: string): SweepMetric | undefined {
  const parts = written.split('/');
  if (parts.length > 2 || parts.some((part) => part === '')) return undefined;
  return parts.length === 2 ? { split: parts[0], name: parts[1] } : { split: 'validation', name: parts[0] };
}

/** The sweep's ranking metric (checked), its run.json summary key and its goal. */
export function sweepRanking(sweep: SweepSection): { key: string; goal: 'minimize' | 'maximize' } {
  const metric = parseSweepMetric(sweep.metric ?? 'loss') ?? { split: 'validation', name: 'loss' };
  const better = metricInfo(metric.name)?.better ?? 'lower';
  return {
    key: `${metric.split}/${metric.name}`,
    goal: sweep.goal ?? (better === 'higher' ? 'maximize' : 'minimize'),
  };
}
