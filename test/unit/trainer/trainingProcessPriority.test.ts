// The training process yields the CPU to the editor: every one of its threads (Node's, libuv's,
// onnxruntime's pools) runs below normal priority while it trains, read from Linux /proc.
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RunManager } from '../../../src/extension/runs/runManager';
import { DatasetCache } from '../../../src/experiment/datasetCache';
import { readRunInfo } from '../../../src/runs/runReader';
import { STEP_PACE_VARIABLE } from '../../../src/trainer/stepPacing';

const root = mkdtempSync(join(tmpdir(), 'modellab-priority-'));
const runs = new RunManager({
  fork: () =>
    fork(join(__dirname, '../../../src/trainer/trainingProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Paced, so that the run is still training when its threads are read.
      env: { ...process.env, [STEP_PACE_VARIABLE]: '20' },
    }),
  loadDataset: new DatasetCache(1).load,
  runsDirFor: () => root,
  versions: { modelLab: '0.1.0', onnxruntime: '1.30.0', node: process.version },
});
after(() => {
  runs.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** The nice value of each thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadPriorities(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

test('a run trains in a process whose every thread runs below normal priority', async () => {
  const wine = join(__dirname, '../../../templates/mlp-wine/wine-mlp.experiment.json');
  const run = await runs.start({ experimentFile: wine, defaultDevice: 'cpu', maxSteps: 5000, threads: 3 });
  await new Promise<void>((resolve) => {
    const watching = runs.onDidChangeRun((changed) => {
      if (changed === run && changed.progress.step > 0) {
        watching.dispose();
        resolve();
      }
    });
  });
  const pid = readRunInfo(run.runDir)?.pid;
  assert.ok(pid, 'run.json names the training process');
  const priorities = threadPriorities(pid);
  runs.stop(run.runDir);
  assert.ok(priorities.length >= 3, `the process trains on onnxruntime's threads too: ${priorities.length}`);
  assert.deepEqual(
    priorities.filter((nice) => nice !== constants.priority.PRIORITY_BELOW_NORMAL),
    [],
    `every thread at nice ${constants.priority.PRIORITY_BELOW_NORMAL}: ${priorities.join(' ')}`,
  );
  assert.equal((await run.done).status, 'stopped');
});
