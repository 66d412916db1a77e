import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RunStatus } from '../../../../src/contract/runStatus';
import { sweepTrials } from '../../../../src/experiment/sweep/sweepChecks';
import { RunFolderError } from '../../../../src/runs/runFolderError';
import type { RunInfo } from '../../../../src/runs/runFiles';
import { readRunInfo } from '../../../../src/runs/runReader';
import { RunWriter } from '../../../../src/runs/runWriter';
import { planSweep, readyTrial, sweepId } from '../../../../src/runs/sweep/sweepPlan';
import { rankTrials } from '../../../../src/runs/sweep/sweepRanking';
import { SweepScheduler, type LaunchedTrial } from '../../../../src/runs/sweep/sweepScheduler';
import { sweptExperiment } from '../../experiment/sweep/fixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-sweep-runs-'));
after(() => rmSync(root, { recursive: true, force: true }));
const versions = { modelLab: 'test', onnxruntime: 'test', node: process.version };

/** A trial the test ends by hand: `finish(status)`; `stopped` says whether stop() was called. */
function manualTrial(): LaunchedTrial & { finish(status: RunStatus): void; stopped: boolean } {
  let finish!: (status: RunStatus) => void;
  const done = new Promise<RunStatus>((resolve) => (finish = resolve));
  const trial = { done, finish, stopped: false, stop: () => (trial.stopped = true) };
  return trial;
}

test('the scheduler keeps `parallel` trials training, in trial order, and starts the next as one ends', async () => {
  const launched = new Map<number, ReturnType<typeof manualTrial>>();
  const scheduler = new SweepScheduler([0, 1, 2, 3, 4], 2, async (item) => {
    const trial = manualTrial();
    launched.set(item, trial);
    return trial;
  });
  const running = scheduler.run();
  await settle();
  assert.deepEqual([...launched.keys()], [0, 1]);
  launched.get(1)!.finish('completed');
  await settle();
  assert.deepEqual([...launched.keys()], [0, 1, 2]);
  launched.get(0)!.finish('failed');
  launched.get(2)!.finish('completed');
  await settle();
  assert.deepEqual([...launched.keys()], [0, 1, 2, 3, 4]);
  launched.get(3)!.finish('completed');
  launched.get(4)!.finish('completed');
  assert.deepEqual(
    (await running).map((o) => [o.item, o.status]),
    [
      [0, 'failed'],
      [1, 'completed'],
      [2, 'completed'],
      [3, 'completed'],
      [4, 'completed'],
    ],
  );
});

test('cancel stops the training trials and starts no other; a launch that throws is a failed trial', async () => {
  const launched = new Map<number, ReturnType<typeof manualTrial>>();
  const scheduler = new SweepScheduler([0, 1, 2, 3], 2, async (item) => {
    if (item === 0) throw new Error('no process');
    const trial = manualTrial();
    launched.set(item, trial);
    return trial;
  });
  const running = scheduler.run();
  await settle();
  assert.deepEqual([...launched.keys()], [1, 2], 'the failed launch made room for trial 2');
  scheduler.cancel();
  assert.ok(launched.get(1)!.stopped && launched.get(2)!.stopped);
  launched.get(1)!.finish('stopped');
  launched.get(2)!.finish('stopped');
  const outcomes = await running;
  assert.deepEqual(
    outcomes.map((o) => [o.item, o.status]),
    [
      [0, 'failed'],
      [1, 'stopped'],
      [2, 'stopped'],
    ],
  );
  assert.equal(launched.has(3), false, 'trial 3 never started');
  assert.ok(scheduler.isCancelled);
});

test('a sweep writes its trials queued up front, finds them again by its id, and decides what each needs', () => {
  const runsDir = join(root, 'plan');
  const experiment = sweptExperiment({ method: 'grid', parameters: { 'training.seed': [1, 2, 3, 4, 5] } });
  const trials = sweepTrials(experiment);
  const plan = () =>
    planSweep({ runsDir, experimentFile: join(root, 'x.experiment.json'), experiment, trials, versions });
  const first = plan();
  assert.deepEqual(
    first.map((p) => [p.info.status, p.action, p.info.sweep?.index, p.info.config.training.seed]),
    [
      ['queued', 'start', 0, 1],
      ['queued', 'start', 1, 2],
      ['queued', 'start', 2, 3],
      ['queued', 'start', 3, 4],
      ['queued', 'start', 4, 5],
    ],
  );
  assert.equal(readRunInfo(first[0].dir)?.sweep?.id, sweepId(experiment));
  // Trials end in every way; a trial left "running" by a process that is gone continues too.
  const setStatus = (index: number, patch: Partial<RunInfo>) =>
    RunWriter.open(first[index].dir, first[index].info).updateInfo(patch);
  setStatus(0, { status: 'completed' });
  setStatus(1, { status: 'failed' });
  setStatus(2, { status: 'stopped' });
  setStatus(3, { status: 'running', pid: 2 ** 22 + 12345 });
  const second = plan();
  assert.deepEqual(
    second.map((p) => [p.dir, p.action]),
    first.map((p, i) => [p.dir, ['keep', 'keep', 'continue', 'continue', 'start'][i]]),
  );
  // A trial still training in a live process refuses the sweep before anything is written.
  setStatus(3, { status: 'running', pid: process.pid });
  assert.throws(
    plan,
    (error) =>
      error instanceof RunFolderError && /Trial 4 of this sweep is still training/.test(error.message),
  );
  // Another sweep (another value list) is another id: new folders, the old ones untouched.
  const other = sweptExperiment({ method: 'grid', parameters: { 'training.seed': [1, 2] } });
  const otherPlan = planSweep({
    runsDir,
    experimentFile: join(root, 'x.experiment.json'),
    experiment: other,
    trials: sweepTrials(other),
    versions,
  });
  assert.ok(otherPlan.every((p) => p.action === 'start' && !first.some((f) => f.dir === p.dir)));
});

test('a trial readied to train says running; one without a checkpoint starts over', () => {
  const runsDir = join(root, 'ready');
  const experiment = sweptExperiment({ method: 'grid', parameters: { 'training.seed': [1] } });
  const [planned] = planSweep({
    runsDir,
    experimentFile: join(root, 'x.experiment.json'),
    experiment,
    trials: sweepTrials(experiment),
    versions,
  });
  const writer = RunWriter.open(planned.dir, planned.info);
  writer.appendMetrics([{ step: 1, epoch: 0, time: 0.1, split: 'train', name: 'loss', value: 2 }]);
  writer.updateInfo({ status: 'interrupted' });
  const { resumeFrom } = readyTrial(
    { ...planned, info: writer.info, action: 'continue' },
    42,
    new Date('2026-01-01T00:00:00Z'),
  );
  assert.equal(resumeFrom, undefined);
  const info = readRunInfo(planned.dir)!;
  assert.deepEqual(
    [info.status, info.pid, info.startedAt, info.summary],
    ['running', 42, '2026-01-01T00:00:00.000Z', {}],
  );
});

test('trials rank by the metric and goal, those without it last', () => {
  const info = (index: number, value?: number): { dir: string; info: RunInfo } => ({
    dir: `/runs/${index}`,
    info: {
      id: `run-${index}`,
      experiment: 'sweep',
      experimentFile: '/x.experiment.json',
      config: sweptExperiment({ method: 'grid', parameters: {} }),
      seed: 1,
      versions,
      startedAt: '2026-01-01T00:00:00.000Z',
      sweep: { id: 's', index, values: { 'training.seed': index } },
      status: value === undefined ? 'failed' : 'completed',
      summary: value === undefined ? {} : { 'validation/accuracy': value },
    },
  });
  const trials = [info(0, 0.5), info(1), info(2, 0.9), info(3, 0.7)];
  assert.deepEqual(
    rankTrials(trials, 'validation/accuracy', 'maximize').map((t) => t.index),
    [2, 3, 0, 1],
  );
  assert.deepEqual(
    rankTrials(trials, 'validation/accuracy', 'minimize').map((t) => t.index),
    [0, 3, 2, 1],
  );
});

/** Lets the scheduler's promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}
