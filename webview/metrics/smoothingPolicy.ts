/**
 * Which series the smoothing slider smooths. Smoothing averages away the noise
 * of single training batches. A validation or test point is already an average
 * over its whole split, and there are few of them (one per evaluation): an EMA
 * over three points only drags the curve behind the data. The learning rate is
 * a schedule, not a measurement: smoothing would draw a warm-up or a step decay
 * that never happened. Train accuracy is scored at each validation, on a
 * sample of the training split: an evaluation like the validation's.
 */
import type { Split } from '../../src/contract/runStatus';
import { metricInfo } from '../../src/contract/metrics';

export function isSmoothed(split: Split, name: string): boolean {
  return split === 'train' && name !== 'accuracy' && metricInfo(name)?.family !== 'lr';
}
