import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ActiveRun } from '../../../src/extension/runs/activeRun';
import { ExperimentBusyError, RunManager } from '../../../src/extension/runs/runManager';
import type { Experiment } from '../../../src/contract/experiment';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns, readMetrics, readRunInfo } from '../../../src/runs/runReader';
import { RunWriter } from '../../../src/runs/runWriter';
import { DataError } from '../../../src/data/dataError';
import { loadDatasetFacts } from '../../../src/data/loadDataset';
import { DatasetCache } from '../../../src/experiment/datasetCache';
import { fakeDataset, FakeModel, numberedExamples } from '../../fixtures/fakeTraining';
import { experimentFixture, runInfoFixture } from '../../fixtures/runInfo';

const root = mkdtempSync(join(tmpdir(), 'modellab-manager-'));
const managers: RunManager[] = [];
after(() => {
  for (const manager of managers) manager.dispose();
  rmSync(root, { recursive: true, force: true });
});
let count = 0;

/** 50 epochs × 3 steps of 20 ms: long enough to act on mid-run. */
function experimentFile(name: string, training: Partial<Experiment['training']> = {}): string {
  const base = experimentFixture({ name });
  const file = join(root, `${name}.experiment.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ...base,
      training: { ...base.training, epochs: 50, checkpoint: { everySteps: 2 }, ...training },
    }),
  );
  return file;
}

function manager(
  env: Record<string, string> = {},
  stopGraceMs = 10_000,
): { manager: RunManager; runsDir: string } {
  const runsDir = join(root, `runs-${count++}`);
  const created = new RunManager({
    fork: () =>
      fork(join(__dirname, '../../fixtures/fakeTrainingProcess.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, ...env },
      }),
    loadDatasetFacts: fakeData,
    runsDirFor: () => runsDir,
    versions: () => ({ modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version }),
    stopGraceMs,
  });
  managers.push(created);
  return { manager: created, runsDir };
}

/** The data the fake training process trains on, for prepareRun's validation in the host. */
const fakeData = async () =>
  fakeDataset({ train: numberedExamples(12), validation: [], test: [] }, new FakeModel());

/** Resolves once the run has recorded at least `step` training steps. */
function reachStep(manager: RunManager, run: ActiveRun, step: number): Promise<void> {
  return new Promise((resolve) => {
    const listener = manager.onDidChangeRun((changed) => {
      if (changed === run && run.progress.step >= step) {
        listener.dispose();
        resolve();
      }
    });
  });
}

test('a run streams to disk and completes; a second run of the same experiment is refused meanwhile', async () => {
  const { manager: runs } = manager();
  const file = experimentFile('quick', { epochs: 2 });
  const run = await runs.start({ experimentFile: file, defaultDevice: 'cpu' });
  await assert.rejects(runs.start({ experimentFile: file, defaultDevice: 'cpu' }), (error) => {
    assert.ok(error instanceof ExperimentBusyError);
    assert.equal(error.busy, run, 'names the run that is training');
    assert.match(error.message, /^"quick" is already training \(run [\w-]+\)/);
    return true;
  });
  const outcome = await run.done;
  // The notification says the result: the test score and the step of the best checkpoint.
  assert.deepEqual(outcome, {
    status: 'completed',
    message: 'Training finished after 6 steps.',
    result: 'quick finished: test accuracy 100.0 % (best at step 3)',
  });
  const info = readRunInfo(run.runDir);
  assert.equal(info?.status, 'completed');
  assert.equal(info?.device?.chosen, 'cpu');
  assert.equal(readMetrics(run.runDir).filter((r) => r.split === 'train' && r.name === 'loss').length, 6);
  assert.ok(existsSync(join(run.runDir, RUN_FILES.eval)));
  assert.equal(runs.activeRuns.length, 0);
});

test('the process trains what Train validated: the file changing meanwhile changes nothing, and run.json holds it', async () => {
  const { manager: runs } = manager();
  const file = experimentFile('edited', { epochs: 2 });
  const validated: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const run = await runs.start({ experimentFile: file, defaultDevice: 'cpu' });
  // The process is still starting: a file it would re-read is now a different experiment.
  writeFileSync(file, '{ "not": "an experiment" }');
  const outcome = await run.done;
  assert.equal(outcome.message, 'Training finished after 6 steps.');
  assert.deepEqual(readRunInfo(run.runDir)?.config, validated);
});

test('an error only the data shows refuses the run before any run folder exists', async () => {
  const runsDir = join(root, 'bad-data-runs');
  const runs = new RunManager({
    fork: () => assert.fail('no process for a refused run'),
    loadDatasetFacts: async () => {
      throw new DataError('row has 2 cells, expected 3 like the first row', '/data/x.csv', 4);
    },
    runsDirFor: () => runsDir,
    versions: () => ({ modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version }),
  });
  managers.push(runs);
  const file = experimentFile('bad-data');
  await assert.rejects(runs.start({ experimentFile: file, defaultDevice: 'cpu' }), {
    name: 'ExperimentError',
    message: new RegExp(
      `^${file}:\\d+:\\d+: error: /data/x\\.csv:4: row has 2 cells, expected 3 like the first row$`,
    ),
  });
  assert.equal(existsSync(runsDir), false);
});

test('runs of different experiments train side by side', async () => {
  const { manager: runs } = manager();
  const first = await runs.start({
    experimentFile: experimentFile('left', { epochs: 2 }),
    defaultDevice: 'cpu',
  });
  const second = await runs.start({
    experimentFile: experimentFile('right', { epochs: 2 }),
    defaultDevice: 'cpu',
  });
  assert.equal(runs.activeRuns.length, 2);
  const outcomes = await Promise.all([first.done, second.done]);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['completed', 'completed'],
  );
});

test('SIGKILL mid-run: the host survives, the run is failed with its last log lines, metrics stay, resume continues', async () => {
  const { manager: runs } = manager();
  const file = experimentFile('killed');
  const run = await runs.start({ experimentFile: file, defaultDevice: 'cpu' });
  await reachStep(runs, run, 5);
  const stepsSeen = run.progress.step;
  process.kill(run.pid as number, 'SIGKILL');
  const outcome = await run.done;
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.message,
    /^The training process was killed by SIGKILL before the run ended\. Last log lines: .*Saved the last checkpoint at step \d+\./,
  );
  const info = readRunInfo(run.runDir);
  assert.equal(info?.status, 'failed');
  assert.equal(info?.error, outcome.message);
  const losses = readMetrics(run.runDir).filter((r) => r.split === 'train' && r.name === 'loss');
  assert.ok(losses.length >= stepsSeen, `${losses.length} losses on disk, ${stepsSeen} steps seen`);
  assert.deepEqual(
    losses.map((r) => r.step),
    losses.map((_, i) => i + 1),
  );

  const checkpointStep = loadCheckpoint(run.runDir, 'last').position.step;
  const resumed = await runs.start({
    experimentFile: file,
    defaultDevice: 'cpu',
    resumeFrom: run.runDir,
    maxSteps: checkpointStep + 4,
  });
  const resumedOutcome = await resumed.done;
  assert.equal(resumedOutcome.status, 'completed', resumedOutcome.message);
  const resumedLosses = readMetrics(resumed.runDir).filter((r) => r.split === 'train' && r.name === 'loss');
  assert.deepEqual(
    resumedLosses.map((r) => r.step),
    Array.from({ length: checkpointStep + 4 }, (_, i) => i + 1),
  );
  assert.equal(readRunInfo(resumed.runDir)?.resumedFrom, run.runDir);
});

test('stop mid-epoch: the run stops at a step, saves its checkpoint and is marked stopped', async () => {
  const { manager: runs } = manager();
  const run = await runs.start({ experimentFile: experimentFile('cancelled'), defaultDevice: 'cpu' });
  await reachStep(runs, run, 4);
  assert.equal(runs.stop(run.runDir), true);
  const outcome = await run.done;
  assert.equal(outcome.status, 'stopped');
  const info = readRunInfo(run.runDir);
  assert.equal(info?.status, 'stopped');
  assert.ok((info?.step ?? 0) < 150);
  assert.equal(loadCheckpoint(run.runDir, 'last').position.step, info?.step);
  assert.ok(existsSync(join(run.runDir, RUN_FILES.model)));
});

test('a process that ignores stop is killed after the grace period and the run is marked stopped', async () => {
  const { manager: runs } = manager({ FAKE_STEP_MS: '600000' }, 300);
  const run = await runs.start({ experimentFile: experimentFile('stuck'), defaultDevice: 'cpu' });
  await new Promise<void>((resolve) =>
    runs.onDidChangeRun((changed) => changed.progress.device && resolve()),
  );
  runs.stop(run.runDir);
  const outcome = await run.done;
  assert.deepEqual(outcome, {
    status: 'stopped',
    message: 'Training stopped (the process was killed by SIGKILL).',
  });
  assert.equal(readRunInfo(run.runDir)?.status, 'stopped');
});

test('a run folder that becomes unwritable ends the run with an error naming the folder', async () => {
  const { manager: runs } = manager();
  const run = await runs.start({ experimentFile: experimentFile('full-disk'), defaultDevice: 'cpu' });
  // /dev/full fails every write with ENOSPC, as a full disk does.
  symlinkSync('/dev/full', join(run.runDir, RUN_FILES.metrics));
  const outcome = await run.done;
  assert.deepEqual(outcome, {
    status: 'failed',
    message: `Cannot write the run folder ${run.runDir}: the disk is full — free some space and resume the run.`,
  });
});

test('after a reload, a run left "running" without a live process is marked interrupted', async () => {
  const { manager: runs, runsDir } = manager();
  const orphan = RunWriter.create({ runsDir, info: runInfoFixture() });
  orphan.updateInfo({ pid: 2 ** 22 + 12345 });
  const finished = RunWriter.create({ runsDir, info: runInfoFixture() });
  finished.updateInfo({ status: 'completed' });
  const live = RunWriter.create({ runsDir, info: runInfoFixture() });
  live.updateInfo({ pid: process.pid });
  mkdirSync(join(runsDir, 'empty-experiment'));
  const { attached, interrupted } = await runs.reattach(runsDir);
  assert.deepEqual(attached, []);
  assert.deepEqual(
    interrupted.map((entry) => entry.dir),
    [orphan.dir],
  );
  assert.equal(readRunInfo(orphan.dir)?.status, 'interrupted');
  assert.equal(readRunInfo(finished.dir)?.status, 'completed');
  assert.equal(readRunInfo(live.dir)?.status, 'running');
});

test('the real training process (engine and data) trains a template through the manager', async () => {
  const runsDir = join(root, 'real-runs');
  const runs = new RunManager({
    fork: () =>
      fork(join(__dirname, '../../../src/trainer/trainingProcess.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    loadDatasetFacts: new DatasetCache(loadDatasetFacts, 1).load,
    runsDirFor: () => runsDir,
    versions: () => ({ modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version }),
  });
  managers.push(runs);
  const wine = join(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
  const run = await runs.start({ experimentFile: wine, defaultDevice: 'cpu', maxSteps: 15 });
  const outcome = await run.done;
  assert.equal(outcome.status, 'completed');
  assert.equal(outcome.message, 'Training finished after 15 steps.');
  // The result is eval.json's accuracy, as a percentage with one decimal.
  const report = JSON.parse(readFileSync(join(run.runDir, RUN_FILES.eval), 'utf8')) as { accuracy: number };
  assert.match(
    outcome.result ?? '',
    new RegExp(
      `^wine-mlp finished: test accuracy ${(report.accuracy * 100).toFixed(1)} % \\(best at step \\d+\\)$`,
    ),
  );
  assert.equal(readRunInfo(run.runDir)?.device?.chosen, 'cpu');
  assert.equal(readMetrics(run.runDir).filter((r) => r.split === 'train' && r.name === 'loss').length, 15);
  assert.ok(existsSync(join(run.runDir, RUN_FILES.model)));
  assert.ok(existsSync(join(run.runDir, RUN_FILES.eval)));
});

test('a training process that cannot start leaves the run marked failed, saying why', async () => {
  const runsDir = join(root, 'no-process');
  const runs = new RunManager({
    fork: () => {
      throw new Error('spawn EACCES');
    },
    loadDatasetFacts: fakeData,
    runsDirFor: () => runsDir,
    versions: () => ({ modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version }),
  });
  managers.push(runs);
  await assert.rejects(
    runs.start({ experimentFile: experimentFile('no-process'), defaultDevice: 'cpu' }),
    /spawn EACCES/,
  );
  const [run] = listRuns(runsDir, 'no-process');
  assert.equal(run.info?.status, 'failed');
  assert.equal(run.info?.error, 'Could not start the training process: spawn EACCES');
  assert.equal(runs.activeRuns.length, 0);
});
