import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { textWidth } from '../../../src/contract/runTable/textWidth';
import { saveRunAnnotations } from '../../../src/runs/runAnnotations';
import { RunWriter } from '../../../src/runs/runWriter';
import { modelLab, modelLabWithLocale } from '../../fixtures/modelLabCli';
import { experimentFixture, metric, runInfoFixture } from '../../fixtures/runInfo';

const root = mkdtempSync(join(tmpdir(), 'modellab-runs-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Two finished runs that differ in learning rate only, the first renamed and tagged. */
function twoRuns(runsDir: string): RunWriter[] {
  return [0.01, 0.1].map((learningRate, index) => {
    const base = experimentFixture();
    const config = {
      ...base,
      training: { ...base.training, optimizer: { type: 'sgd' as const, learningRate } },
    };
    const writer = RunWriter.create({
      runsDir,
      info: runInfoFixture({ config }),
      now: new Date(Date.UTC(2026, 11, 1, 10, index)),
    });
    writer.appendMetrics([
      metric(1, 'loss', [0.8, 0.5][index]),
      { ...metric(1, 'accuracy', [0.6, 0.9][index]), split: 'validation' },
      metric(1, 'lr', learningRate),
    ]);
    writer.updateInfo({
      status: 'completed',
      endedAt: new Date(Date.UTC(2026, 11, 1, 10, index, 75)).toISOString(),
      device: { requested: 'auto', chosen: 'cpu', message: '' },
    });
    return writer;
  });
}

test('model-lab runs prints a table: the differing setting and the final scores of each run', () => {
  const runsDir = join(root, 'text');
  const [first] = twoRuns(runsDir);
  saveRunAnnotations(first.dir, { name: 'slow lr' });
  // Starts are shown in the reader's time zone: UTC here, so the expected text holds anywhere.
  const result = modelLabWithLocale({ LANG: 'C.UTF-8', TZ: 'UTC' }, 'runs', '--runs-dir', runsDir);
  assert.equal(result.status, 0, result.stderr);
  const [header, rule, ...lines] = result.stdout.trimEnd().split('\n');
  assert.deepEqual(header.split(/\s{2,}/), [
    'Name',
    'Experiment',
    'Status',
    'Started',
    'Duration',
    'Device',
    'learningRate',
    'train/loss',
    'validation/accuracy',
  ]);
  assert.match(rule, /^─+ {2}─+/);
  assert.equal(lines.length, 2);
  const cells = lines.map((line) => line.split(/\s{2,}/));
  assert.deepEqual(cells, [
    ['slow lr', 'digits-cnn', 'completed', 'Dec 1, 2026, 10:00', '1m 15s', 'cpu', '0.01', '0.800', '0.600'],
    [
      '20261201-100100',
      'digits-cnn',
      'completed',
      'Dec 1, 2026, 10:01',
      '1m 15s',
      'cpu',
      '0.1',
      '0.500',
      '0.900',
    ],
  ]);
});

test('model-lab runs under a Chinese locale: headers, statuses, starts and durations in Chinese, columns still aligned', () => {
  const runsDir = join(root, 'chinese');
  twoRuns(runsDir);
  const result = modelLabWithLocale({ LANG: 'zh_CN.UTF-8', TZ: 'UTC' }, 'runs', '--runs-dir', runsDir);
  assert.equal(result.status, 0, result.stderr);
  const [header, rule, ...lines] = result.stdout.trimEnd().split('\n');
  assert.deepEqual(header.split(/\s{2,}/), [
    '名称',
    '实验',
    '状态',
    '开始时间',
    '时长',
    '设备',
    'learningRate',
    'train/loss',
    'validation/accuracy',
  ]);
  assert.deepEqual(
    lines.map((line) => line.split(/\s{2,}/).slice(2, 5)),
    [
      ['已完成', '2026年12月1日 10:00', '1分15秒'],
      ['已完成', '2026年12月1日 10:01', '1分15秒'],
    ],
  );
  // A Chinese character takes two terminal columns: each column starts where its rule segment does.
  const starts = (line: string): number[] => {
    const found: number[] = [];
    let column = 0;
    let gap = 2;
    for (const char of line) {
      if (char !== ' ' && gap >= 2) found.push(column);
      gap = char === ' ' ? gap + 1 : 0;
      column += textWidth(char);
    }
    return found;
  };
  assert.deepEqual(starts(header), starts(rule));
  for (const line of lines) assert.deepEqual(starts(line), starts(rule));
  // --lang wins over the locale, as for every command.
  const english = modelLabWithLocale(
    { LANG: 'zh_CN.UTF-8', TZ: 'UTC' },
    'runs',
    '--runs-dir',
    runsDir,
    '--lang',
    'en',
  );
  assert.match(english.stdout, /^Name {2,}Experiment {2,}Status {2,}Started/);
  assert.match(english.stdout, /completed {2,}Dec 1, 2026, 10:00 {2,}1m 15s/);
});

test('model-lab runs --json gives every run with its settings by path and its final and best metrics', () => {
  const runsDir = join(root, 'json');
  const writers = twoRuns(runsDir);
  const foreign = join(runsDir, 'lightning', 'version_0');
  mkdirSync(foreign, { recursive: true });
  writeFileSync(join(foreign, 'metrics.csv'), 'epoch,step,train_loss\n0,5,0.7\n');
  const result = modelLab('runs', '--runs-dir', runsDir, '--json');
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    differingSettings: string[];
    runs: {
      runDir: string;
      name: string;
      status: string;
      startedAt: string | null;
      durationSeconds: number | null;
      settings: Record<string, unknown>;
      final: Record<string, number>;
      best: Record<string, number>;
    }[];
  };
  // The Lightning folder has no settings, so every setting of the other two differs from its "none".
  assert.ok(report.differingSettings.includes('training.optimizer.learningRate'));
  const mine = report.runs.filter((run) => run.status === 'completed');
  assert.deepEqual(
    mine.map((run) => run.runDir),
    writers.map((writer) => writer.dir),
  );
  assert.deepEqual(
    mine.map((run) => run.settings['training.optimizer.learningRate']),
    [0.01, 0.1],
  );
  assert.equal(mine[0].settings['training.batchSize'], 4);
  assert.deepEqual(mine[1].final, { 'train/loss': 0.5, 'validation/accuracy': 0.9, 'train/lr': 0.1 });
  assert.deepEqual(mine[1].best, { 'train/loss': 0.5, 'validation/accuracy': 0.9 });
  // Machine-readable whatever the language: an ISO start and seconds.
  assert.equal(mine[0].startedAt, '2026-12-01T10:00:00.000Z');
  assert.equal(mine[0].durationSeconds, 75);
  const lightning = report.runs.find((run) => run.runDir === foreign);
  assert.equal(lightning?.status, 'unknown');
  assert.equal(lightning?.final['train/loss'], 0.7);
});

test('model-lab runs: no runs yet says how to make one; a file for --runs-dir is refused with exit 2', () => {
  const empty = modelLab('runs', '--runs-dir', join(root, 'nothing-here'));
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stdout, /^No runs in .*nothing-here\. Train an experiment/);
  const file = join(root, 'a-file');
  writeFileSync(file, '');
  const refused = modelLab('runs', '--runs-dir', file);
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    /a-file is not a folder: pass the folder that holds <experiment>\/<run>\/ with --runs-dir/,
  );
});
