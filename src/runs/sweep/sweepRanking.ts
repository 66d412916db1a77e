/**
 * The ranking printed when a sweep ends: its trials ordered by the sweep's
 * metric (run.json's last value of it), best first; trials without the
 * metric (failed early, never ran) come last, in trial order.
 */
import * as l10n from '@vscode/l10n';
import { statusText } from '../../protocol/runStatusText';
import type { SweepGoal } from '../../contract/experiment';
import { describeValues } from '../../experiment/sweep/sweepChecks';
import type { RunInfo } from '../runFiles';
import { readRunInfo } from '../runReader';

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

type RankableSweep = { trials: { dir: string }[]; ranking: { key: string; goal: SweepGoal } };

/** The sweep's trials ranked as their run.json files say now. */
export function rankSweep(sweep: RankableSweep): RankedTrial[] {
  const trials = sweep.trials.flatMap(({ dir }) => {
    const info = readRunInfo(dir);
    return info ? [{ dir, info }] : [];
  });
  return rankTrials(trials, sweep.ranking.key, sweep.ranking.goal);
}

/**
 * The ranking as text: a heading, then one line per trial (place, trial,
 * value, values, status, folder as `showDir` writes it).
 */
export function rankingLines(
  sweep: RankableSweep,
  showDir: (dir: string) => string = (dir) => dir,
): string[] {
  const { key, goal } = sweep.ranking;
  return [
    goal === 'maximize'
      ? l10n.t('Ranking by {0} (higher is better):', key)
      : l10n.t('Ranking by {0} (lower is better):', key),
    ...rankSweep(sweep).map((trial, place) => {
      const value = trial.value === undefined ? '—' : String(Number(trial.value.toPrecision(4)));
      return `${String(place + 1).padStart(3)}. ${l10n.t('trial {0}', trial.index + 1)}  ${value}  ${describeValues(trial.values)}  ${statusText(trial.status)}  ${showDir(trial.dir)}`;
    }),
  ];
}
