// The training process yields the CPU to the editor: every one of its threads (Node's, libuv's,
// onnxruntime's pools) runs below normal priority while it trains, read from Linux /proc; a run
// forked detached (its own session, as the editor forks runs) is lowered as a scheduling group too.
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RunManager } from '../../../src/extension/runs/runManager';
import { loadDatasetFacts } from '../../../src/data/loadDataset';
import { DatasetCache } from '../../../src/experiment/datasetCache';
import { readRunInfo } from '../../../src/runs/runReader';
import { readAutogroup } from '../../../src/trainer/autogroup';
import { STEP_PACE_VARIABLE } from '../../../src/trainer/stepPacing';

const root = mkdtempSync(join(tmpdir(), 'modellab-priority-'));
const runManager = (detached: boolean) =>
  new RunManager({
    fork: () =>
      fork(join(__dirname, '../../../src/trainer/trainingProcess.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached,
        // Paced, so that the run is still training when its threads are read.
        env: { ...process.env, [STEP_PACE_VARIABLE]: '20' },
      }),
    loadDatasetFacts: new DatasetCache(loadDatasetFacts, 1).load,
    runsDirFor: () => root,
    versions: () => ({ modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version }),
  });
const runs = runManager(false);
const detachedRuns = runManager(true);
after(() => {
  runs.dispose();
  detachedRuns.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Starts the wine template and resolves once it has trained a step: its process is computing. */
async function startTraining(manager: RunManager) {
  const wine = join(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
  const run = await manager.start({ experimentFile: wine, defaultDevice: 'cpu', maxSteps: 5000, threads: 3 });
  await new Promise<void>((resolve) => {
    const watching = manager.onDidChangeRun((changed) => {
      if (changed === run && changed.progress.step > 0) {
        watching.dispose();
        resolve();
      }
    });
  });
  const pid = readRunInfo(run.runDir)?.pid;
  assert.ok(pid, 'run.json names the training process');
  return { run, pid };
}

/** The nice value of each thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadPriorities(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

test('a run trains in a process whose every thread runs below normal priority', async () => {
  const groupBefore = readAutogroup('self');
  const { run, pid } = await startTraining(runs);
  const priorities = threadPriorities(pid);
  const group = readAutogroup(pid);
  runs.stop(run.runDir);
  // A process in its parent's scheduling group leaves the group alone (it holds the extension host).
  assert.deepEqual(group, groupBefore, 'the shared scheduling group keeps its priority');
  assert.ok(priorities.length >= 3, `the process trains on onnxruntime's threads too: ${priorities.length}`);
  assert.deepEqual(
    priorities.filter((nice) => nice !== constants.priority.PRIORITY_BELOW_NORMAL),
    [],
    `every thread at nice ${constants.priority.PRIORITY_BELOW_NORMAL}: ${priorities.join(' ')}`,
  );
  assert.equal((await run.done).status, 'stopped');
});

test('a run forked detached, as the editor forks runs, lowers its own scheduling group', async (t) => {
  if (!readAutogroup('self')) {
    t.skip('this kernel has no autogroups (/proc/self/autogroup)');
    return;
  }
  const { run, pid } = await startTraining(detachedRuns);
  // The kernel takes one group change per 100 ms machine-wide; the process retries for a while.
  let group = readAutogroup(pid);
  for (let i = 0; i < 20 && group?.nice !== constants.priority.PRIORITY_BELOW_NORMAL; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    group = readAutogroup(pid);
  }
  detachedRuns.stop(run.runDir);
  assert.notEqual(
    group?.id,
    readAutogroup('self')?.id,
    'a detached run is a session, hence a group, of its own',
  );
  assert.equal(group?.nice, constants.priority.PRIORITY_BELOW_NORMAL, `its group: ${JSON.stringify(group)}`);
  assert.equal((await run.done).status, 'stopped');
});
