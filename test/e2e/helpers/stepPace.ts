// The VS Code test layers (integration and UI) start code-server with the training
// process's step pacing on (src/trainer/stepPacing.ts): every step then takes at
// least TEST_STEP_PACE_MS, so a run of N steps lasts at least N × TEST_STEP_PACE_MS on
// any machine. A test that watches a run train and then stops it sizes the run with
// assertOutlasts, and never races the run to its last step.
import { strict as assert } from 'node:assert';
import { STEP_PACE_VARIABLE } from '../../../src/trainer/stepPacing';

export const TEST_STEP_PACE_MS = 25;

/** The environment code-server (and so the extension host and its training processes) gets. */
export const pacedTrainingEnv: Readonly<Record<string, string>> = {
  [STEP_PACE_VARIABLE]: String(TEST_STEP_PACE_MS),
};

/** Checks that a paced run of `steps` steps cannot end within `timeoutMs` (the test's own timeout). */
export function assertOutlasts(steps: number, timeoutMs: number): void {
  const shortestMs = steps * TEST_STEP_PACE_MS;
  assert.ok(
    shortestMs > timeoutMs,
    `a run of ${steps} steps paced at ${TEST_STEP_PACE_MS} ms lasts at least ${shortestMs} ms, not longer than the test's ${timeoutMs} ms: give it more steps`,
  );
}
