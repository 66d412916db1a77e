import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { strict as assert } from 'node:assert';
import { basename, join } from 'node:path';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { runCommand, screenshot } from '../helpers/browser';
import { openThroughDialog } from '../helpers/folderDialog';
import { waitForPoints } from '../helpers/panels';
import { runsViewRowOf } from '../helpers/runsView';
import { e2eSession, workbench } from '../helpers/session';

const repo = join(__dirname, '..', '..', '..');
const PYTHON = process.env.MODEL_LAB_PYTHON ?? '/usr/bin/python3';
const NAME = 'digits-pytorch-live';

describe('An exported PyTorch project trains in the background; Model Lab charts it live', () => {
  let training: ChildProcess | undefined;
  // Stops train.py as a user's Ctrl+C would, so its run folder says "stopped" rather than
  // "running" (a later spec's cleanup waits for every running run to stop).
  after(async () => {
    if (!training || training.exitCode !== null || training.signalCode !== null) return;
    const exited = new Promise((resolve) => training?.once('exit', resolve));
    training.kill('SIGINT');
    const timer = setTimeout(() => training?.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  });

  it('the metrics panel of the PyTorch run grows while train.py runs', async function () {
    this.timeout(240_000);
    const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      if (process.env.CI === 'true') throw new Error(`${PYTHON} cannot import torch: ${probe.stderr}`);
      this.skip();
    }
    const { workspace } = e2eSession();
    // The CNN template with a long schedule and no early stopping, so it is still training when checked.
    const template = JSON.parse(
      readFileSync(join(repo, 'templates/cnn-digits/digits-cnn.experiment.json'), 'utf8'),
    );
    const experimentFile = join(workspace, `${NAME}.experiment.json`);
    writeFileSync(
      experimentFile,
      JSON.stringify({
        ...template,
        name: NAME,
        training: { ...template.training, epochs: 2000, earlyStopping: undefined },
      }),
    );
    const project = join(workspace, `${NAME}-project`);
    await exportPytorchProject({ experimentFile, outDir: project });
    const runsDir = join(workspace, '.modellab', 'runs');
    training = spawn(PYTHON, ['train.py', '--device', 'cpu', '--runs-dir', runsDir], {
      cwd: project,
      stdio: 'ignore',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    const experimentRuns = join(runsDir, NAME);
    const deadline = Date.now() + 60_000;
    while (!existsSync(experimentRuns) || readdirSync(experimentRuns).length === 0) {
      if (Date.now() > deadline) throw new Error('train.py wrote no run folder');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const runDir = join(experimentRuns, readdirSync(experimentRuns)[0]);

    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Run Folder…');
    await openThroughDialog(page, runDir);
    const first = await waitForPoints(page, 1, 60_000);
    await waitForPoints(page, first + 20, 60_000);
    await screenshot(page, 'pytorch-live-metrics');

    // The Runs view reads the run's status from its run.json: training, then stopped by Ctrl+C
    // (train.py finishes its step, saves the last checkpoint and says so).
    const runId = basename(runDir);
    const row = await runsViewRowOf(page, runId);
    await row.locator('.codicon-pulse').waitFor({ state: 'visible', timeout: 30_000 });
    const running = training;
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
    running.kill('SIGINT');
    assert.equal(await exited, 130, 'train.py exit code after Ctrl+C');
    await (
      await runsViewRowOf(page, runId)
    )
      .locator('.codicon-debug-stop')
      .waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'pytorch-live-stopped');
  });
});
