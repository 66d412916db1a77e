/**
 * The `modelLab.threads` setting: how many threads a run trained from the editor computes with.
 * `auto` leaves one core to VS Code when there are more than two, so typing, the palette and the
 * panels stay responsive while a run trains; on one or two cores training takes them all (one
 * thread on two cores would halve training to spare a core the editor rarely fills). The training
 * process also runs at a lower scheduling priority (trainer/trainingProcess.ts). The CLI is not
 * an editor: it trains on every core.
 */
export type ThreadsSetting = 'auto' | number;

export const DEFAULT_THREADS_SETTING: ThreadsSetting = 'auto';

export function isThreadCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

export function isThreadsSetting(value: unknown): value is ThreadsSetting {
  return value === 'auto' || isThreadCount(value);
}

/** The threads a run uses under `setting` on a machine with `cores` cores. */
export function threadsFor(setting: ThreadsSetting, cores: number): number {
  if (setting !== 'auto') return setting;
  return cores > 2 ? cores - 1 : Math.max(1, cores);
}
