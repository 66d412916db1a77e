/**
 * Folds a run's metric records into what the runs table shows: each metric's last and
 * best value and the time of the last record. Fed incrementally, so a live run's table
 * row costs only its new lines.
 */
import type { MetricRecord } from '../../contract/metricRecord';
import { metricInfo } from '../../contract/metrics';

/** Families whose "better" says nothing about the run: a lower learning rate is not a better one. */
const NO_BEST_FAMILIES = new Set(['lr', 'throughput']);

export class MetricsDigest {
  final: Record<string, number> = {};
  best: Record<string, number> = {};
  /** Seconds since the run started, of the last record. */
  lastTime: number | undefined;

  add(records: readonly MetricRecord[]): void {
    for (const record of records) {
      const key = `${record.split}/${record.name}`;
      this.final[key] = record.value;
      this.lastTime = Math.max(this.lastTime ?? 0, record.time);
      const info = metricInfo(record.name);
      if (!info || NO_BEST_FAMILIES.has(info.family)) continue;
      const best = this.best[key];
      const better = info.better === 'higher' ? record.value > best : record.value < best;
      if (best === undefined || better) this.best[key] = record.value;
    }
  }
}
