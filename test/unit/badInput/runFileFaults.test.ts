/**
 * The bad-input battery at the run-file and reader level: damaged
 * checkpoints, racing writers, hostile metric names and run.json strings,
 * oversized exports and restored panels pointing outside the workspace.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { isSaveCsvMessage, isSavePngMessage, MAX_EXPORT_CHARS } from '../../../src/protocol/metricsPanel';
import {
  isRestorableRunDir,
  rememberRunDir,
  REMEMBERED_RUNS,
} from '../../../src/extension/panels/restorableRuns';
import { formatTooltip } from '../../../src/extension/runs/runSummary';
import { loadCheckpoint, saveCheckpoint } from '../../../src/runs/checkpoints';
import { RunFolderError } from '../../../src/runs/runFolderError';
import { RunWriter } from '../../../src/runs/runWriter';
import { csvTooLarge } from '../../../webview/metrics/csv';
import { familyOf, familyTitle, SeriesStore } from '../../../webview/metrics/seriesStore';
import { metric, runInfoFixture } from '../../fixtures/runInfo';
import { removeScratchFolders, scratchFolder } from './scratchExperiment';

const scratchDir = scratchFolder;
after(removeScratchFolders);

function savedCheckpoint(): { runDir: string; dir: string } {
  const runDir = scratchDir();
  const dir = saveCheckpoint(runDir, 'last', {
    state: {
      step: 2,
      tensors: {
        'layer0.dense.weight': { dims: [2], data: new Float32Array([0.5, -0.5]) },
        'layer0.dense.weight.m': { dims: [2], data: new Float32Array([0.1, 0.2]) },
      },
    },
    position: { step: 2, epoch: 0, batchInEpoch: 2, validationsWithoutImprovement: 0 },
  });
  return { runDir, dir };
}

function checkpointError(runDir: string): RunFolderError {
  try {
    loadCheckpoint(runDir, 'last');
  } catch (error) {
    assert.ok(error instanceof RunFolderError, `expected a RunFolderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the checkpoint to be refused');
}

test('a checkpoint whose optimizer state holds Infinity is refused, naming the tensor', () => {
  const { runDir, dir } = savedCheckpoint();
  writeFileSync(join(dir, 'tensors-2.bin'), Buffer.from(new Float32Array([0.5, -0.5, 0.1, Infinity]).buffer));
  assert.equal(
    checkpointError(runDir).message,
    `The checkpoint in ${dir} is damaged: tensor "layer0.dense.weight.m" holds Infinity at index 1. Resume from another run, or train anew.`,
  );
});

test('a checkpoint.json without its tensor list is refused instead of throwing a TypeError', () => {
  const { runDir, dir } = savedCheckpoint();
  writeFileSync(
    join(dir, 'checkpoint.json'),
    JSON.stringify({ format: 1, position: { step: 2 }, dataFile: 'tensors-2.bin' }),
  );
  assert.equal(
    checkpointError(runDir).message,
    `The checkpoint in ${dir} is damaged: checkpoint.json lacks its position or tensor list. Resume from another run, or train anew.`,
  );
});

test('a checkpoint.json whose data file points outside its folder is refused', () => {
  const { runDir, dir } = savedCheckpoint();
  const meta = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
  writeFileSync(
    join(dir, 'checkpoint.json'),
    JSON.stringify({ ...meta, dataFile: '../../../../etc/passwd' }),
  );
  assert.equal(
    checkpointError(runDir).message,
    `The checkpoint in ${dir} is damaged: checkpoint.json lacks its position or tensor list. Resume from another run, or train anew.`,
  );
});

test('writers started together claim different run folders (they shared one before)', async () => {
  const runsDir = scratchDir();
  const writers = 4;
  const perWriter = 5;
  // Separate processes, as two editors or an editor and the CLI would be; one start time for all.
  const script = `
    const { RunWriter } = require(${JSON.stringify(resolve(__dirname, '../../../src/runs/runWriter.ts'))});
    const { runInfoFixture } = require(${JSON.stringify(resolve(__dirname, '../../fixtures/runInfo.ts'))});
    const now = new Date('2026-01-02T03:04:05Z');
    for (let i = 0; i < ${perWriter}; i++) {
      const writer = RunWriter.create({ runsDir: ${JSON.stringify(runsDir)}, info: runInfoFixture({ pid: process.pid }), now });
      console.log(writer.dir);
    }`;
  const outputs = await Promise.all(
    Array.from(
      { length: writers },
      () =>
        new Promise<string>((done, fail) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
          child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`writer exited ${code}`))));
        }),
    ),
  );
  const dirs = outputs.flatMap((out) => out.trim().split('\n'));
  assert.equal(dirs.length, writers * perWriter);
  assert.equal(new Set(dirs).size, writers * perWriter, 'every writer got a folder of its own');
  const folders = readdirSync(join(runsDir, 'digits-cnn'));
  assert.equal(folders.length, writers * perWriter);
  for (const dir of dirs) {
    const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    assert.equal(info.id, dir.split('/').at(-1), 'run.json names its own folder');
  }
});

test('metrics named __proto__ and constructor chart as their own families and keep run.json intact', () => {
  assert.equal(familyOf('__proto__'), '__proto__');
  assert.equal(familyOf('constructor'), 'constructor');
  assert.equal(familyTitle('constructor'), 'constructor');
  assert.equal(familyOf('f1'), 'accuracy');
  const store = new SeriesStore();
  const changed = store.append('run', [
    metric(1, '__proto__', 3),
    metric(1, 'constructor', 4),
    metric(1, 'loss', 2),
  ]);
  assert.deepEqual([...changed].sort(), ['__proto__', 'constructor', 'loss']);
  assert.deepEqual(store.families(), ['loss', '__proto__', 'constructor']);
  assert.deepEqual(
    store.inFamily('__proto__').map((s) => s.raw),
    [[{ x: 1, y: 3 }]],
  );

  const writer = RunWriter.create({ runsDir: scratchDir(), info: runInfoFixture() });
  writer.appendMetrics([metric(1, '__proto__', 3), metric(1, 'constructor', 4)]);
  writer.updateInfo({});
  const info = JSON.parse(readFileSync(join(writer.dir, 'run.json'), 'utf8'));
  assert.deepEqual(info.summary, { 'train/__proto__': 3, 'train/constructor': 4 });
});

test('a CSV or PNG export larger than the limit is refused by the message guard, and the panel says why', () => {
  const name = 'run-metrics.csv';
  assert.ok(isSaveCsvMessage({ type: 'saveCsv', suggestedName: name, csv: 'x'.repeat(MAX_EXPORT_CHARS) }));
  assert.ok(
    !isSaveCsvMessage({ type: 'saveCsv', suggestedName: name, csv: 'x'.repeat(MAX_EXPORT_CHARS + 1) }),
  );
  const png = `data:image/png;base64,${'A'.repeat(MAX_EXPORT_CHARS)}`;
  assert.ok(!isSavePngMessage({ type: 'savePng', suggestedName: 'chart.png', dataUrl: png }));
  assert.equal(csvTooLarge(MAX_EXPORT_CHARS), undefined);
  assert.equal(
    csvTooLarge(100_000_000),
    'The CSV would be 96 MiB, more than the 64 MiB an export may hold: hide runs or metrics, then export again.',
  );
});

test('the Runs view hover shows run.json strings as plain text, not Markdown', () => {
  const hostile =
    '[click](command:workbench.action.terminal.new) ![x](https://example.com/t.png) <img src=x>';
  const text = formatTooltip('run-1', {
    ...runInfoFixture({ experiment: hostile, error: '**bold** [link](https://example.com)' }),
    id: 'run-1',
    status: 'failed',
    startedAt: '2026-01-02T03:04:05Z',
  });
  assert.equal(
    text,
    [
      `${hostile} / run-1 — failed`,
      `Started: ${new Date('2026-01-02T03:04:05Z').toLocaleString()}`,
      '**bold** [link](https://example.com)',
    ].join('\n'),
  );
});

test('a restored panel reopens only run folders of the workspace or ones opened through a command', () => {
  const runs = '/work/space/.modellab/runs';
  const none = new Set<string>();
  assert.ok(isRestorableRunDir(`${runs}/wine-mlp/20260102-030405`, [runs], none));
  assert.ok(!isRestorableRunDir('/etc', [runs], none), 'a folder elsewhere');
  assert.ok(
    !isRestorableRunDir(`${runs}/wine-mlp/../../../../../etc/x`, [runs], none),
    'a path that climbs out',
  );
  assert.ok(!isRestorableRunDir(`${runs}/wine-mlp`, [runs], none), 'an experiment folder, not a run');
  assert.ok(!isRestorableRunDir(`${runs}/wine-mlp/run/checkpoints`, [runs], none), 'deeper than a run');
  assert.ok(!isRestorableRunDir('wine-mlp/run', [runs], none), 'a relative path');
  assert.ok(!isRestorableRunDir(42, [runs], none), 'not a string');
  assert.ok(
    isRestorableRunDir('/data/cli-runs/wine-mlp/run', [runs], new Set(['/data/cli-runs/wine-mlp/run'])),
  );

  let remembered: string[] = [];
  for (let i = 0; i < REMEMBERED_RUNS + 5; i++) remembered = rememberRunDir(remembered, `/r/${i}`);
  remembered = rememberRunDir(remembered, '/r/50');
  assert.equal(remembered.length, REMEMBERED_RUNS);
  assert.equal(remembered.at(-1), '/r/50');
  assert.ok(!remembered.includes('/r/4'), 'the oldest are forgotten');
});
