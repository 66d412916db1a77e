import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ActiveRun } from '../../../src/extension/runs/activeRun';
import type { RunManager } from '../../../src/extension/runs/runManager';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { readMetrics, readRunInfo } from '../../../src/runs/runReader';
import { processIsAlive } from '../../../src/runs/runOwner';
import { fakeRunManager } from '../../fixtures/fakeRunManager';
import { experimentFixture } from '../../fixtures/runInfo';

const root = mkdtempSync(join(tmpdir(), 'modellab-reload-'));
const managers: RunManager[] = [];
after(() => {
  for (const manager of managers) manager.dispose();
  rmSync(root, { recursive: true, force: true });
});
let count = 0;

/** A run far longer than any test (200 epochs × 3 steps): it ends when a test stops it. */
function longExperiment(): { file: string; runsDir: string } {
  const name = `reload-${count++}`;
  const base = experimentFixture({ name });
  const file = join(root, `${name}.experiment.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...base, training: { ...base.training, epochs: 200, checkpoint: { everySteps: 2 } } }),
  );
  return { file, runsDir: join(root, `runs-${name}`) };
}

function window(runsDir: string, hostGraceMs = 30_000): RunManager {
  const manager = fakeRunManager(runsDir, { stepMs: 30, hostGraceMs });
  managers.push(manager);
  return manager;
}

/** Resolves once the run has trained at least `step` steps, as this window sees it. */
function reachStep(manager: RunManager, run: ActiveRun, step: number): Promise<void> {
  return new Promise((resolve) => {
    if (run.progress.step >= step) return resolve();
    const listener = manager.onDidChangeRun((changed) => {
      if (changed === run && run.progress.step >= step) {
        listener.dispose();
        resolve();
      }
    });
  });
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const lossSteps = (runDir: string): number[] =>
  readMetrics(runDir)
    .filter((record) => record.split === 'train' && record.name === 'loss')
    .map((record) => record.step);

/** What a user relies on after the run: every step up to its end on disk, its checkpoint at that step, the folder let go. */
async function assertWholeRun(runDir: string): Promise<void> {
  const info = readRunInfo(runDir)!;
  const steps = lossSteps(runDir);
  assert.deepEqual(
    steps,
    Array.from({ length: info.step! }, (_, i) => i + 1),
    'no step missing or doubled',
  );
  assert.equal(
    loadCheckpoint(runDir, 'last').position.step,
    info.step,
    'metrics hold every step up to the checkpoint',
  );
  // run.json says "stopped" a moment before the process lets the folder go and exits.
  await until('the training process to exit', () => (processIsAlive(info.pid) ? undefined : true));
  assert.equal(existsSync(join(runDir, RUN_FILES.owner)), false, 'the folder is let go at the end');
}

async function attachOne(manager: RunManager, runsDir: string, pid: number | undefined): Promise<ActiveRun> {
  const { attached, interrupted } = await manager.reattach(runsDir);
  assert.equal(interrupted.length, 0);
  assert.equal(attached.length, 1, 'the new window attaches to the run still training');
  assert.equal(attached[0].pid, pid);
  return attached[0];
}

test('two window reloads: the run trains on without a window, each new window attaches (progress, Stop), no step is lost', async () => {
  const { file, runsDir } = longExperiment();
  const first = window(runsDir);
  const run = await first.start({ experimentFile: file, defaultDevice: 'cpu' });
  await reachStep(first, run, 3);
  first.dispose(); // the reload ends the window's extension host

  const onDisk = lossSteps(run.runDir).length;
  await until('training to go on without a window', () =>
    lossSteps(run.runDir).length > onDisk + 2 ? true : undefined,
  );
  const second = window(runsDir);
  const attached = await attachOne(second, runsDir, run.pid);
  await reachStep(second, attached, onDisk + 4);
  assert.equal(attached.progress.totalSteps, 600, "the attached window knows the run's shape");

  second.dispose(); // a second reload
  const third = window(runsDir);
  const again = await attachOne(third, runsDir, run.pid);
  await reachStep(third, again, attached.progress.step + 2);
  assert.equal(third.stop(run.runDir), true, 'Stop works from a window that attached');
  const outcome = await again.done;
  assert.equal(outcome.status, 'stopped');
  assert.equal(readRunInfo(run.runDir)?.status, 'stopped');
  await assertWholeRun(run.runDir);
});

test('SIGKILL of the window that forked the trainer: the run trains on and a new window attaches', async () => {
  const { file, runsDir } = longExperiment();
  const host = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '../../fixtures/hostWindow.ts'), file, runsDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const runDir = await new Promise<string>((resolve, reject) => {
    let out = '';
    host.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^RUN (.+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    host.on('exit', () => reject(new Error(`the window ended first: ${out}`)));
  });
  host.kill('SIGKILL');
  const pid = readRunInfo(runDir)!.pid;
  const onDisk = lossSteps(runDir).length;
  await until('training to go on without its window', () =>
    lossSteps(runDir).length > onDisk + 2 ? true : undefined,
  );

  const next = window(runsDir);
  const attached = await attachOne(next, runsDir, pid);
  await reachStep(next, attached, lossSteps(runDir).length + 2);
  next.stop(runDir);
  assert.equal((await attached.done).status, 'stopped');
  await assertWholeRun(runDir);
});

test('no window comes back: after the grace period the run saves a checkpoint and stops, saying why', async () => {
  const { file, runsDir } = longExperiment();
  const only = window(runsDir, 300);
  const run = await only.start({ experimentFile: file, defaultDevice: 'cpu' });
  await reachStep(only, run, 3);
  only.dispose(); // VS Code closed
  await until('the run to stop by itself', () =>
    readRunInfo(run.runDir)?.status === 'stopped' ? true : undefined,
  );
  const info = readRunInfo(run.runDir)!;
  assert.match(
    readFileSync(join(run.runDir, RUN_FILES.log), 'utf8'),
    new RegExp(
      `Stopped at step ${info.step} because no Model Lab window came back within 0\\.3 s; the last checkpoint is saved\\.`,
    ),
  );
  await assertWholeRun(run.runDir);
});
