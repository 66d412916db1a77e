import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveRunAnnotations } from '../../../src/runs/runAnnotations';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { withRunInfoLock } from '../../../src/runs/runInfoLock';
import { readRunInfo } from '../../../src/runs/runReader';
import { RunWriter } from '../../../src/runs/runWriter';
import { PYTHON, requireTorch } from '../../fixtures/pytorch';
import { runInfoFixture } from '../../fixtures/runInfo';

function newRun(): string {
  const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-info-lock-'));
  return RunWriter.create({ runsDir, info: runInfoFixture() }).dir;
}

/**
 * Races the runs table's annotation saves here against a training-side writer process (`command`,
 * which prints "ready <run folder>", writes steps until `stopFile` appears, then completes the run)
 * for a second, each side checking that its own last write stays.
 */
async function raceWriters(command: string[], stopFile: string): Promise<void> {
  const [program, ...args] = command;
  const child = spawn(program, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const runDir = await new Promise<string>((ready, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (.+)\n/.exec(output);
      if (match) ready(match[1]);
    });
    void exited.then(() => failed(new Error(`the writer ended before it was ready: ${output}`)));
  });
  const lostNames: string[] = [];
  let saved = 0;
  for (const until = Date.now() + 1000; Date.now() < until && !output.includes('lost');) {
    saved += 1;
    saveRunAnnotations(runDir, { name: `name ${saved}` });
    const name = readRunInfo(runDir)?.name;
    if (name !== `name ${saved}`) lostNames.push(`saved "name ${saved}", run.json says "${name}"`);
    await new Promise((next) => setImmediate(next));
  }
  writeFileSync(stopFile, '');
  assert.equal(await exited, 0, output);
  assert.deepEqual(lostNames, [], `${lostNames.length} of ${saved} names written over`);
  assert.match(output, /steps \d+/);
  const final = readRunInfo(runDir);
  assert.equal(final?.name, `name ${saved}`);
  assert.equal(final?.status, 'completed');
  assert.equal(existsSync(join(runDir, RUN_FILES.infoLock)), false, 'the lock is released');
}

test('a name saved while the training process rewrites run.json is never written over, nor is any step', async () => {
  const runDir = newRun();
  const writer = [
    process.execPath,
    '--import',
    'tsx',
    join(__dirname, '../../fixtures/runInfoWriterLoop.ts'),
  ];
  await raceWriters([...writer, runDir, join(runDir, '..', 'stop')], join(runDir, '..', 'stop'));
});

test('the same holds against an exported PyTorch project writing its run folder', async (t) => {
  if (!requireTorch(t)) return;
  const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-info-lock-py-'));
  const stopFile = join(runsDir, 'stop');
  await raceWriters(
    [PYTHON, join(__dirname, '../../fixtures/runFolderWriterLoop.py'), runsDir, stopFile],
    stopFile,
  );
});

test('a lock left by a process that died holding it is taken over, so the run is never blocked', () => {
  const runDir = newRun();
  const lock = join(runDir, RUN_FILES.infoLock);
  mkdirSync(lock);
  const longAgo = new Date(Date.now() - 60_000);
  utimesSync(lock, longAgo, longAgo);
  saveRunAnnotations(runDir, { name: 'after a crash' });
  assert.equal(readRunInfo(runDir)?.name, 'after a crash');
  assert.equal(existsSync(lock), false);
});

test('a change waits while another process holds the lock, and runs once it is released', async () => {
  const runDir = newRun();
  const lock = join(runDir, RUN_FILES.infoLock);
  mkdirSync(lock);
  // Released by another process 200 ms from now; the synchronous wait here must outlast it.
  const releaser = spawn(process.execPath, [
    '-e',
    `setTimeout(() => require('fs').rmdirSync(${JSON.stringify(lock)}), 200)`,
  ]);
  const started = Date.now();
  const waited = withRunInfoLock(runDir, () => Date.now() - started);
  assert.ok(waited >= 150, `the change ran after ${waited} ms, while the lock was held`);
  await new Promise((done) => releaser.once('exit', done));
  assert.equal(existsSync(lock), false);
});
