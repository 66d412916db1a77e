// Cleanup for specs that train: a spec that fails while its run trains would leave the
// run going, and the next spec would see that run in the status bar (it shows the first
// active run) and a "Stop which run?" picker instead of its own. Specs that start runs
// call stopRunsStillTraining in an `after` hook, so one failure never cascades.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand } from './browser';

/** Run folders under `<workspace>/.modellab/runs` whose run.json still says "running". */
export function runsStillTraining(workspace: string): string[] {
  const runsRoot = join(workspace, '.modellab', 'runs');
  if (!existsSync(runsRoot)) return [];
  return readdirSync(runsRoot).flatMap((experiment) =>
    readdirSync(join(runsRoot, experiment))
      .map((id) => join(runsRoot, experiment, id))
      .filter((dir) => {
        try {
          return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status === 'running';
        } catch {
          return false;
        }
      }),
  );
}

/** Stops every run of the workspace that is still training, through "Model Lab: Stop Training". */
export async function stopRunsStillTraining(
  page: Page,
  workspace: string,
  timeoutMs = 90_000, // under mocha's 120 s hook limit, so a failure names the runs left
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const picker = page.locator('.quick-input-widget', { hasText: 'Stop which run?' });
  let training = runsStillTraining(workspace);
  while (training.length > 0) {
    if (Date.now() > deadline) throw new Error(`runs still training after cleanup: ${training.join(', ')}`);
    await runCommand(page, 'Model Lab: Stop Training');
    // With several runs a picker asks which one: its first entry will do, the loop comes back for the rest.
    if (
      await picker.waitFor({ state: 'visible', timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      await page.keyboard.press('Enter');
    const before = training.length;
    while ((training = runsStillTraining(workspace)).length >= before && Date.now() <= deadline)
      await page.waitForTimeout(250);
  }
}
