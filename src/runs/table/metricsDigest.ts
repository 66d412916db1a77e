/**
 * Folds a run's metric records into what the runs table shows: each metric's last and
 * best value and the time of the last record. Fed incrementally, so a live run's table
 * row costs only its new lines.
 */
import type { MetricRecord } from '../../contract/metricRecord';
import { metricInfo } from '../../contract/metrics';
import { isScoreMetric } from '../../contract/runTable/metricColumns';

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
      if (!isScoreMetric(record.name)) continue;
      const info = metricInfo(record.name)!;
      const best = this.best[key];
      const better = info.better === 'higher' ? record.value > best : record.value < best;
      if (best === undefined || better) this.best[key] = record.value;
    }
  }
}
