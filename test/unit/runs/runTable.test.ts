import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cellValue, metricKeys } from '../../../src/contract/runTable/columns';
import { differingSettings } from '../../../src/contract/runTable/differingSettings';
import { filterRows, NO_FILTER } from '../../../src/contract/runTable/filterRows';
import { flattenSettings } from '../../../src/contract/runTable/flattenSettings';
import { sortRows } from '../../../src/contract/runTable/sortRows';
import { saveRunAnnotations } from '../../../src/runs/runAnnotations';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { RunFolderError } from '../../../src/runs/runFolderError';
import { readRunInfo } from '../../../src/runs/runReader';
import { RunWriter } from '../../../src/runs/runWriter';
import { RunTableReader } from '../../../src/runs/table/runTableReader';
import { experimentFixture, metric, runInfoFixture } from '../../fixtures/runInfo';
import { rowFixture } from '../../fixtures/runRow';

const root = mkdtempSync(join(tmpdir(), 'modellab-table-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('settings flatten to dotted paths in file order; layers by index; a shape stays one value', () => {
  const settings = flattenSettings(experimentFixture({ description: 'not a setting' }));
  assert.equal(settings['training.optimizer.learningRate'], 0.1);
  assert.equal(settings['training.optimizer.type'], 'sgd');
  assert.equal(settings['model.layers.0.units'], 3);
  assert.equal(settings['model.input.shape'], '[1]');
  assert.equal(settings['data.splits.train'], 0.8);
  assert.equal(Object.hasOwn(settings, 'name'), false);
  assert.equal(Object.hasOwn(settings, 'description'), false);
  const paths = Object.keys(settings);
  assert.equal(paths[0], 'task');
  assert.ok(paths.indexOf('data.source') < paths.indexOf('model.input.shape'));
  assert.deepEqual(flattenSettings(undefined), {});
  // A sweep section is how trials were chosen, not a setting of the run.
  const swept = {
    ...experimentFixture(),
    sweep: { method: 'grid', parameters: { 'training.seed': [1, 2] } },
  };
  assert.deepEqual(
    Object.keys(flattenSettings(swept)).filter((path) => path.startsWith('sweep')),
    [],
  );
});

test('differing settings: only paths whose values are not all equal, a missing one included', () => {
  const rows = [
    rowFixture({
      settings: { 'training.batchSize': 32, 'training.optimizer.learningRate': 0.01, task: 'x' },
    }),
    rowFixture({
      settings: { 'training.batchSize': 32, 'training.optimizer.learningRate': 0.03, task: 'x' },
    }),
    rowFixture({ settings: { 'training.batchSize': 32, task: 'x', 'model.layers.2.rate': 0.5 } }),
  ];
  assert.deepEqual(differingSettings(rows), ['training.optimizer.learningRate', 'model.layers.2.rate']);
  assert.deepEqual(differingSettings(rows.slice(0, 1)), []);
  assert.deepEqual(differingSettings([rows[0], rowFixture({ settings: { ...rows[0].settings } })]), []);
});

test('filter: every word of the query, statuses and experiments; settings match as path=value', () => {
  const rows = [
    rowFixture({
      id: 'a',
      name: 'baseline',
      tags: ['keep'],
      settings: { 'training.optimizer.learningRate': 0.001 },
    }),
    rowFixture({ id: 'b', name: 'wide layers', status: 'failed', notes: 'Diverged at step 40' }),
    rowFixture({
      id: 'c',
      experiment: 'wine-mlp',
      status: 'running',
      settings: { 'training.optimizer.learningRate': 0.01 },
    }),
  ];
  const ids = (filter: Partial<typeof NO_FILTER>): string[] =>
    filterRows(rows, { ...NO_FILTER, ...filter }).map((row) => row.id);
  assert.deepEqual(ids({}), ['a', 'b', 'c']);
  assert.deepEqual(ids({ query: 'WIDE' }), ['b']);
  assert.deepEqual(ids({ query: 'diverged step' }), ['b']);
  assert.deepEqual(ids({ query: 'diverged baseline' }), []);
  assert.deepEqual(ids({ query: 'keep' }), ['a']);
  assert.deepEqual(ids({ query: 'learningrate=0.01' }), ['c']);
  assert.deepEqual(ids({ statuses: ['failed', 'running'] }), ['b', 'c']);
  assert.deepEqual(ids({ experiments: ['digits-cnn'] }), ['a', 'b']);
  assert.deepEqual(ids({ experiments: ['digits-cnn'], statuses: ['running'] }), []);
});

test('sort: numbers by value, names in natural order, missing values last either way, ties stable', () => {
  const rows = [
    rowFixture({ id: 'r1', name: 'run-10', final: { 'validation/accuracy': 0.9 } }),
    rowFixture({ id: 'r2', name: 'run-2' }),
    rowFixture({ id: 'r3', name: 'Run-1', final: { 'validation/accuracy': 0.95 } }),
    rowFixture({ id: 'r4', name: 'run-3', final: { 'validation/accuracy': 0.9 } }),
  ];
  const ids = (column: Parameters<typeof sortRows>[1]['column'], descending: boolean): string[] =>
    sortRows(rows, { column, descending }).map((row) => row.id);
  assert.deepEqual(ids('final:validation/accuracy', true), ['r3', 'r1', 'r4', 'r2']);
  assert.deepEqual(ids('final:validation/accuracy', false), ['r1', 'r4', 'r3', 'r2']);
  assert.deepEqual(ids('name', false), ['r3', 'r2', 'r4', 'r1']);
  assert.deepEqual(ids('name', true), ['r1', 'r4', 'r2', 'r3']);
  assert.equal(cellValue(rows[1], 'best:validation/accuracy'), undefined);
});

test('metric keys: train, then validation, then test, each by name', () => {
  const rows = [
    rowFixture({ final: { 'test/accuracy': 1, 'validation/loss': 1, 'train/loss': 1 } }),
    rowFixture({ final: { 'validation/accuracy': 1, 'train/lr': 1 } }),
  ];
  assert.deepEqual(metricKeys(rows), [
    'train/loss',
    'train/lr',
    'validation/accuracy',
    'validation/loss',
    'test/accuracy',
  ]);
});

function writeRun(runsDir: string, now: Date, learningRate: number): RunWriter {
  const config = experimentFixture({
    training: { ...experimentFixture().training, optimizer: { type: 'sgd', learningRate } },
  });
  return RunWriter.create({ runsDir, info: runInfoFixture({ config }), now });
}

test('the reader turns run folders into rows: status, duration, device, settings, final and best', async () => {
  const runsDir = join(root, 'rows');
  const writer = writeRun(runsDir, new Date('2026-12-01T10:00:00Z'), 0.01);
  writer.updateInfo({ device: { requested: 'auto', chosen: 'cpu', message: '' } });
  writer.appendMetrics([
    metric(1, 'loss', 0.9),
    metric(2, 'loss', 0.4),
    metric(3, 'loss', 0.6),
    { ...metric(2, 'accuracy', 0.7), split: 'validation' },
    { ...metric(3, 'accuracy', 0.65), split: 'validation' },
    metric(3, 'lr', 0.01),
  ]);
  writer.updateInfo({ status: 'completed', endedAt: '2026-12-01T10:01:30Z' });
  const reader = new RunTableReader();
  const [row] = await reader.read([runsDir, runsDir]);
  assert.equal(row.runDir, writer.dir);
  assert.equal(row.name, '20261201-100000');
  assert.equal(row.experiment, 'digits-cnn');
  assert.equal(row.status, 'completed');
  assert.equal(row.duration, 90);
  assert.equal(row.device, 'cpu');
  assert.equal(row.settings['training.optimizer.learningRate'], 0.01);
  assert.deepEqual(row.final, { 'train/loss': 0.6, 'validation/accuracy': 0.65, 'train/lr': 0.01 });
  // Loss is best when lowest, accuracy when highest; a learning rate has no "best".
  assert.deepEqual(row.best, { 'train/loss': 0.4, 'validation/accuracy': 0.7 });
  assert.deepEqual(row.has, { evaluation: false, attention: false });
});

test('the reader follows a live run: new metric lines, a rename, a second run', async () => {
  const runsDir = join(root, 'live');
  const writer = writeRun(runsDir, new Date('2026-12-01T11:00:00Z'), 0.01);
  writer.appendMetrics([metric(1, 'loss', 0.9)]);
  const reader = new RunTableReader();
  let [row] = await reader.read([runsDir]);
  assert.equal(row.status, 'running');
  assert.equal(row.final['train/loss'], 0.9);
  assert.equal(row.duration, 0.1); // no end yet: the last metric's time

  writer.appendMetrics([metric(2, 'loss', 0.3)]);
  saveRunAnnotations(writer.dir, { name: 'low lr' });
  writeRun(runsDir, new Date('2026-12-01T11:05:00Z'), 0.1);
  const rows = await reader.read([runsDir]);
  [row] = rows;
  assert.equal(rows.length, 2);
  assert.equal(row.name, 'low lr');
  assert.equal(row.final['train/loss'], 0.3);
  assert.equal(row.best['train/loss'], 0.3);
  assert.deepEqual(differingSettings(rows), ['training.optimizer.learningRate']);
});

test("another tool's folder (Lightning metrics.csv, no run.json) is a row with status unknown", async () => {
  const runsDir = join(root, 'foreign');
  const runDir = join(runsDir, 'lightning', 'version_0');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, 'metrics.csv'),
    'epoch,step,train_loss,val_accuracy\n0,10,0.8,\n0,10,,0.6\n1,20,0.5,\n',
  );
  const [row] = await new RunTableReader().read([runsDir]);
  assert.equal(row.status, 'unknown');
  assert.equal(row.experiment, 'lightning');
  assert.equal(row.name, 'version_0');
  assert.deepEqual(row.settings, {});
  assert.equal(row.final['train/loss'], 0.5);
  assert.equal(row.best['train/loss'], 0.5);
  assert.equal(row.final['validation/accuracy'], 0.6);
});

test('name, tags and notes are saved in run.json without losing its other fields, and survive the trainer', () => {
  const runsDir = join(root, 'annotations');
  const writer = writeRun(runsDir, new Date('2026-12-01T12:00:00Z'), 0.01);
  writer.appendMetrics([metric(1, 'loss', 0.5)]);
  writer.updateInfo({});
  const before = JSON.parse(readFileSync(join(writer.dir, RUN_FILES.info), 'utf8')) as Record<
    string,
    unknown
  >;
  saveRunAnnotations(writer.dir, { name: 'baseline', tags: ['keep', 'cpu'], notes: 'First try.' });
  const saved = JSON.parse(readFileSync(join(writer.dir, RUN_FILES.info), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(saved, { ...before, name: 'baseline', tags: ['keep', 'cpu'], notes: 'First try.' });

  // The trainer rewrites run.json with its own copy: the user's fields stay.
  writer.updateInfo({ status: 'completed' });
  let info = readRunInfo(writer.dir);
  assert.equal(info?.status, 'completed');
  assert.equal(info?.name, 'baseline');
  assert.deepEqual(info?.tags, ['keep', 'cpu']);

  // Clearing removes the field, and the trainer does not bring it back.
  saveRunAnnotations(writer.dir, { name: '  ', tags: [] });
  writer.updateInfo({});
  info = readRunInfo(writer.dir);
  assert.equal(Object.hasOwn(info!, 'name'), false);
  assert.equal(Object.hasOwn(info!, 'tags'), false);
  assert.equal(info?.notes, 'First try.');
  assert.equal(info?.summary?.['train/loss'], 0.5);
});

test('saving a name where there is no run.json refuses with the folder named', () => {
  const runDir = join(root, 'no-info', 'x', 'run');
  mkdirSync(runDir, { recursive: true });
  appendFileSync(join(runDir, 'metrics.csv'), 'step,loss\n');
  assert.throws(
    () => saveRunAnnotations(runDir, { name: 'mine' }),
    (error: unknown) => error instanceof RunFolderError && error.message.includes(runDir),
  );
});
