/**
 * Which series the smoothing slider smooths. Smoothing averages away the noise
 * of single training batches. A validation or test point is already an average
 * over its whole split, and there are few of them (one per evaluation): an EMA
 * over three points only drags the curve behind the data. The learning rate is
 * a schedule, not a measurement: smoothing would draw a warm-up or a step decay
 * that never happened.
 */
import type { Split } from '../../src/contract/runStatus';
import { metricInfo } from '../../src/contract/metrics';

export function isSmoothed(split: Split, name: string): boolean {
  return split === 'train' && metricInfo(name)?.family !== 'lr';
}
