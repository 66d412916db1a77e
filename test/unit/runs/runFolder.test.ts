import { strict as assert } from 'node:assert';
import {
  appendFileSync,
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RunFolderError } from '../../../src/runs/runFolderError';
import {
  listAllRunsAsync,
  listExperiments,
  listRuns,
  readAttentionIndex,
  readLogTail,
  readMetrics,
  readMetricsFrom,
  readRunInfo,
} from '../../../src/runs/runReader';
import { RUN_FILES, type RunInfo } from '../../../src/runs/runFiles';
import { RunWriter } from '../../../src/runs/runWriter';
import { metric, runInfoFixture } from '../../fixtures/runInfo';
import { runNodeScript } from '../../fixtures/unprivileged';

const root = mkdtempSync(join(tmpdir(), 'modellab-runs-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folderCount = 0;
const freshRunsDir = (): string => join(root, `runs-${folderCount++}`);
const startedAt = new Date('2026-11-29T01:52:03Z');

test('a new run gets <runs>/<experiment>/<time id>/ with run.json marked running', () => {
  const runsDir = freshRunsDir();
  const writer = RunWriter.create({ runsDir, info: runInfoFixture(), now: startedAt });
  assert.equal(writer.dir, join(runsDir, 'digits-cnn', '20261129-015203'));
  const info = readRunInfo(writer.dir);
  assert.equal(info?.status, 'running');
  assert.equal(info?.startedAt, startedAt.toISOString());
  assert.equal(info?.config.training.seed, 7);
});

test('two runs started in the same second get distinct folders, listed oldest first', () => {
  const runsDir = freshRunsDir();
  const first = RunWriter.create({ runsDir, info: runInfoFixture(), now: startedAt });
  const second = RunWriter.create({ runsDir, info: runInfoFixture(), now: startedAt });
  assert.notEqual(first.dir, second.dir);
  assert.deepEqual(listExperiments(runsDir), ['digits-cnn']);
  assert.deepEqual(
    listRuns(runsDir, 'digits-cnn').map((run) => run.dir),
    [first.dir, second.dir],
  );
});

test('every run of every experiment reads without blocking as it does with listExperiments and listRuns', async () => {
  const runsDir = freshRunsDir();
  const cnn = [0, 1].map(() => RunWriter.create({ runsDir, info: runInfoFixture(), now: startedAt }));
  const mlp = RunWriter.create({
    runsDir,
    info: { ...runInfoFixture(), experiment: 'wine-mlp' },
    now: startedAt,
  });
  // A damaged run.json reads as absent; a stray file beside the experiments is no experiment.
  writeFileSync(join(cnn[1]!.dir, RUN_FILES.info), '{"id": "half');
  writeFileSync(join(runsDir, 'notes.txt'), 'not a run');
  const listed = await listAllRunsAsync(runsDir);
  const expected = listExperiments(runsDir).flatMap((experiment) => listRuns(runsDir, experiment));
  assert.deepEqual(listed, expected);
  assert.deepEqual(
    listed.map((run) => [run.dir, run.info?.status]),
    [
      [cnn[0]!.dir, 'running'],
      [cnn[1]!.dir, undefined],
      [mlp.dir, 'running'],
    ],
  );
  assert.deepEqual(await listAllRunsAsync(join(runsDir, 'nowhere')), []);
});

test('experiment names become safe folder names', () => {
  const runsDir = freshRunsDir();
  const writer = RunWriter.create({
    runsDir,
    info: runInfoFixture({ experiment: '../My exp: v2' }),
    now: startedAt,
  });
  assert.equal(writer.dir, join(runsDir, 'My-exp-v2', '20261129-015203'));
});

test('metrics are on disk as soon as they are appended, and fold into the summary', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  writer.appendMetrics([metric(1), metric(2)]);
  assert.deepEqual(readMetrics(writer.dir), [metric(1), metric(2)]);
  writer.appendMetrics([{ ...metric(3, 'accuracy', 0.9), split: 'validation' }]);
  writer.updateInfo({ status: 'completed' });
  const info = readRunInfo(writer.dir) as RunInfo;
  assert.deepEqual(info.summary, { 'train/loss': 0.5, 'validation/accuracy': 0.9 });
  assert.equal(info.step, 3);
  assert.equal(info.status, 'completed');
});

test('a torn last line of metrics.jsonl is skipped, and a tail read stops before it', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  writer.appendMetrics([metric(1), metric(2)]);
  appendFileSync(join(writer.dir, RUN_FILES.metrics), '{"step":3,"epoch":0.3,"ti');
  assert.deepEqual(readMetrics(writer.dir), [metric(1), metric(2)]);
  const firstRead = readMetricsFrom(writer.dir, 0);
  assert.equal(firstRead.records.length, 2);
  // The writer finishes the line later: the tail picks it up from where it stopped.
  appendFileSync(join(writer.dir, RUN_FILES.metrics), 'me":0.3,"split":"train","name":"loss","value":0.3}\n');
  assert.deepEqual(readMetricsFrom(writer.dir, firstRead.nextOffset).records, [metric(3, 'loss', 0.3)]);
});

test('a damaged line in the middle is skipped without losing the rest', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  writer.appendMetrics([metric(1)]);
  appendFileSync(join(writer.dir, RUN_FILES.metrics), 'not json\n{"step":"x"}\n');
  writer.appendMetrics([metric(2)]);
  assert.deepEqual(readMetrics(writer.dir), [metric(1), metric(2)]);
});

test('missing and damaged files read as absent, never as a crash', () => {
  const runsDir = freshRunsDir();
  const writer = RunWriter.create({ runsDir, info: runInfoFixture() });
  writeFileSync(join(writer.dir, RUN_FILES.info), '{"id": "half');
  assert.equal(readRunInfo(writer.dir), undefined);
  assert.equal(listRuns(runsDir, 'digits-cnn')[0].info, undefined);
  assert.deepEqual(readMetrics(join(runsDir, 'nowhere')), []);
  assert.deepEqual(listExperiments(join(runsDir, 'nowhere')), []);
  assert.deepEqual(readAttentionIndex(writer.dir), { steps: [] });
});

test('attention snapshots are indexed by step in ascending order', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  const layers = [{ layer: 0, heads: 1, length: 2, probs: [1, 0, 0.5, 0.5] }];
  writer.writeAttention({ step: 20, tokens: ['a', 'b'], layers });
  writer.writeAttention({ step: 10, tokens: ['a', 'b'], layers });
  writer.writeAttention({ step: 20, tokens: ['a', 'b'], layers });
  assert.deepEqual(readAttentionIndex(writer.dir), { steps: [10, 20] });
  const snapshot = JSON.parse(readFileSync(join(writer.dir, RUN_FILES.attention, '10.json'), 'utf8'));
  assert.deepEqual(snapshot.layers, layers);
});

test('log lines are time-stamped and the tail returns the last ones', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  writer.appendLog('first', startedAt);
  writer.appendLog('second\nthird', startedAt);
  assert.deepEqual(readLogTail(writer.dir, 2), [
    `${startedAt.toISOString()} second`,
    `${startedAt.toISOString()} third`,
  ]);
});

test('a resumed run starts with the metrics of the run it continues, up to the checkpoint', () => {
  const runsDir = freshRunsDir();
  const first = RunWriter.create({ runsDir, info: runInfoFixture() });
  first.appendMetrics([metric(1), metric(2), metric(3)]);
  const resumed = RunWriter.create({
    runsDir,
    info: runInfoFixture({ resumedFrom: first.dir }),
    continueMetricsOf: { runDir: first.dir, upToStep: 2 },
  });
  assert.deepEqual(readMetrics(resumed.dir), [metric(1), metric(2)]);
});

test('a read-only run folder gives an error naming the folder and what to do', () => {
  const runsDir = freshRunsDir();
  const writer = RunWriter.create({ runsDir, info: runInfoFixture() });
  chmodSync(root, 0o755);
  for (const dir of [runsDir, join(runsDir, 'digits-cnn')]) chmodSync(dir, 0o755);
  chmodSync(writer.dir, 0o555);
  const result = runNodeScript([join(__dirname, '../../fixtures/appendLogScript.ts'), writer.dir]);
  assert.equal(
    result.stdout.trim(),
    `RunFolderError: Cannot write the run folder ${writer.dir}: permission denied — make the folder writable or choose another runs folder.`,
    result.stderr,
  );
});

test('a full disk gives an error naming the folder', () => {
  const writer = RunWriter.create({ runsDir: freshRunsDir(), info: runInfoFixture() });
  // /dev/full fails every write with ENOSPC, as a full disk does.
  symlinkSync('/dev/full', join(writer.dir, RUN_FILES.metrics));
  assert.throws(
    () => writer.appendMetrics([metric(1)]),
    (error: unknown) =>
      error instanceof RunFolderError &&
      error.code === 'ENOSPC' &&
      error.message ===
        `Cannot write the run folder ${writer.dir}: the disk is full — free some space and resume the run.`,
  );
});
