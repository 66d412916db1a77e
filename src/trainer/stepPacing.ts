/**
 * A hook for the UI and integration tests: with MODEL_LAB_TEST_STEP_PACE_MS set, the
 * training process pauses that many milliseconds after every step, so a run of N steps
 * lasts at least N × pace on any machine. A test that inspects a run while it trains
 * and then stops it chooses N × pace above its own timeout, instead of racing the run
 * to its last step (a fast machine finished such runs before the test stopped them).
 * Unset, as it always is outside the tests, nothing pauses.
 */
import * as l10n from '@vscode/l10n';
export const STEP_PACE_VARIABLE = 'MODEL_LAB_TEST_STEP_PACE_MS';

/** Waits after a chunk of `steps` training steps. */
export type StepPace = (steps: number) => Promise<void>;

/** The pace the environment asks for, if any; throws when the variable is not a positive number. */
export function stepPaceFrom(env: NodeJS.ProcessEnv): StepPace | undefined {
  const raw = env[STEP_PACE_VARIABLE];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new Error(
      l10n.t('{0} must be a positive number of milliseconds per step, not "{1}".', STEP_PACE_VARIABLE, raw),
    );
  return (steps) => new Promise((resolve) => setTimeout(resolve, ms * steps));
}
