/**
 * The ranking printed when a sweep ends: its trials ordered by the sweep's
 * metric (run.json's last value of it), best first; trials without the
 * metric (failed early, never ran) come last, in trial order.
 */
import type { SweepGoal } from '../../contract/experiment';
import type { RunInfo } from '../runFiles';

export interface RankedTrial {
  index: number;
  dir: string;
  status: RunInfo['status'];
  value?: number;
  values: NonNullable<RunInfo['sweep']>['values'];
}

export function rankTrials(
  trials: { dir: string; info: RunInfo }[],
  key: string,
  goal: SweepGoal,
): RankedTrial[] {
  const sign = goal === 'maximize' ? -1 : 1;
  return trials
    .filter((trial) => trial.info.sweep)
    .map(({ dir, info }) => ({
      index: info.sweep!.index,
      dir,
      status: info.status,
      value: info.summary?.[key],
      values: info.sweep!.values,
    }))
    .sort((a, b) => {
      if (a.value === undefined || b.value === undefined)
        return a.value === b.value ? a.index - b.index : a.value === undefined ? 1 : -1;
      return sign * (a.value - b.value) || a.index - b.index;
    });
}
