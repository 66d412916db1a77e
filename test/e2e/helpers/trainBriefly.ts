// Runs for UI tests: an experiment written into the workspace and trained a few steps with the
// model-lab CLI into the workspace's runs folder, as a user's terminal would.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../../../src/contract/experiment';
import { listRuns } from '../../../src/runs/runReader';
import { modelLab } from '../../fixtures/modelLabCli';
import { e2eSession } from './session';

/** Trains `experiment` (in a folder of its name) for `steps` steps; returns the run folder. */
export function trainBriefly(experiment: Experiment, steps: number): string {
  const { workspace } = e2eSession();
  const folder = join(workspace, experiment.name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${experiment.name}.experiment.json`);
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  const runsDir = join(workspace, '.modellab', 'runs');
  const result = modelLab(
    'train',
    file,
    '--runs-dir',
    runsDir,
    '--device',
    'cpu',
    '--max-steps',
    String(steps),
  );
  assert.equal(result.status, 0, result.stderr);
  return listRuns(runsDir, experiment.name)[0].dir;
}
