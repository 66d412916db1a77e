import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { columnTitle, shortSettingNames } from '../../../src/contract/runTable/columnTitles';
import { formatCell, formatNumber } from '../../../src/contract/runTable/formatCell';
import { columnWords } from '../../../src/protocol/runTableColumnWords';
import { timeWords } from '../../../src/protocol/timeText';
import { RowChangeTracker } from '../../../src/extension/runsTable/rowChanges';
import { parseTags } from '../../../webview/runsTable/tags';
import { parallelChart } from '../../../webview/runsTable/parallelAxes';
import { RowStore } from '../../../webview/runsTable/rowStore';
import { textWidth } from '../../../src/contract/runTable/textWidth';
import {
  availableColumns,
  chooseColumn,
  defaultColumns,
  visibleColumns,
} from '../../../webview/runsTable/visibleColumns';
import { rowFixture } from '../../fixtures/runRow';

const rows = [
  rowFixture({
    id: 'a',
    settings: { 'training.batchSize': 8, 'training.optimizer.learningRate': 0.01 },
    final: { 'train/loss': 0.5, 'train/lr': 0.01, 'validation/accuracy': 0.8 },
    best: { 'train/loss': 0.4, 'validation/accuracy': 0.85 },
  }),
  rowFixture({
    id: 'b',
    settings: { 'training.batchSize': 8, 'training.optimizer.learningRate': 0.1 },
    final: { 'train/loss': 0.3, 'validation/accuracy': 0.9, 'test/accuracy': 0.88 },
  }),
];

test('default columns: fixed, differing settings, final scores, best validation scores; no learning rate', () => {
  assert.deepEqual(defaultColumns(rows), [
    'name',
    'experiment',
    'status',
    'start',
    'duration',
    'device',
    'tags',
    'setting:training.optimizer.learningRate',
    'final:train/loss',
    'final:validation/accuracy',
    'final:test/accuracy',
    'best:validation/accuracy',
  ]);
  const available = availableColumns(rows);
  assert.ok(available.includes('setting:training.batchSize'));
  assert.ok(available.includes('final:train/lr'));
  assert.ok(!available.includes('best:train/lr'));
});

test('the user hides and adds columns on top of the default', () => {
  const shown = visibleColumns(rows, {
    hidden: ['device', 'final:train/loss'],
    added: ['setting:training.batchSize', 'setting:not.there', 'name'],
  });
  assert.ok(!shown.includes('device'));
  assert.ok(!shown.includes('final:train/loss'));
  assert.equal(shown.at(-1), 'setting:training.batchSize');
  assert.ok(!shown.includes('setting:not.there'));
  assert.equal(shown.filter((column) => column === 'name').length, 1);
});

test('the column chooser records only departures from the default, and undoing one leaves none', () => {
  const none = { hidden: [], added: [] };
  const hidden = chooseColumn(none, 'device', false, true);
  assert.deepEqual(hidden, { hidden: ['device'], added: [] });
  assert.deepEqual(chooseColumn(hidden, 'device', true, true), none);
  const added = chooseColumn(hidden, 'setting:training.batchSize', true, false);
  assert.deepEqual(added, { hidden: ['device'], added: ['setting:training.batchSize'] });
  assert.deepEqual(chooseColumn(added, 'setting:training.batchSize', false, false), hidden);
  // Added while it was not a default, unticked once it is one: hidden, not merely un-added.
  assert.deepEqual(chooseColumn(added, 'setting:training.batchSize', false, true), {
    hidden: ['device', 'setting:training.batchSize'],
    added: [],
  });
});

test('headers: the shortest unambiguous tail of a setting path; metrics by key', () => {
  const names = shortSettingNames([
    'training.optimizer.learningRate',
    'model.layers.0.units',
    'model.layers.2.units',
    'data.seed',
    'training.seed',
  ]);
  assert.equal(names.get('training.optimizer.learningRate'), 'learningRate');
  assert.equal(names.get('model.layers.0.units'), 'layers.0.units');
  assert.equal(names.get('data.seed'), 'data.seed');
  assert.equal(columnTitle('setting:training.seed', names, columnWords()), 'training.seed');
  assert.equal(columnTitle('best:validation/loss', names, columnWords()), 'best validation/loss');
  assert.equal(columnTitle('start', names, columnWords()), 'Started');
});

test('cells: starts and durations as the display language writes them, numbers short', () => {
  const time = timeWords('en');
  assert.equal(formatCell('duration', 725, time), '12m 05s');
  assert.equal(formatCell('start', new Date(2026, 11, 1, 9, 5).toISOString(), time), 'Dec 1, 2026, 09:05');
  assert.equal(formatCell('start', 'not a date', time), 'not a date');
  assert.equal(formatCell('final:validation/accuracy', 0.98765, time), '0.988');
  assert.equal(formatCell('duration', undefined, time), '');
  assert.equal(formatNumber(0.98765), '0.988');
  assert.equal(formatNumber(0.0003), '3.00e-4');
  assert.equal(formatNumber(64), '64');
});

test('the host sends a row again only when it changed; gone folders are named', () => {
  const tracker = new RowChangeTracker();
  assert.equal(tracker.all(rows).length, 2);
  assert.deepEqual(tracker.changes(rows), { changed: [], removed: [] });
  const renamed = { ...rows[0], name: 'baseline' };
  const third = rowFixture({ id: 'c' });
  const next = tracker.changes([renamed, third]);
  assert.deepEqual(
    next.changed.map((row) => row.runDir),
    [renamed.runDir, third.runDir],
  );
  assert.deepEqual(next.removed, [rows[1].runDir]);
  assert.equal(tracker.has(rows[1].runDir), false);
  assert.equal(tracker.has(third.runDir), true);

  // The webview's store applied the same changes ends where the host is.
  const store = new RowStore();
  store.replace(rows);
  store.apply(next.changed, next.removed);
  assert.deepEqual(
    store.all().map((row) => row.name),
    ['baseline', 'c'],
  );
});

test('tags: commas separate, blanks and repeats go', () => {
  assert.deepEqual(parseTags(' keep, cpu ,, keep,'), ['keep', 'cpu']);
  assert.deepEqual(parseTags(''), []);
  // A Chinese keyboard types the full-width comma.
  assert.deepEqual(parseTags('基线，保留, cpu'), ['基线', '保留', 'cpu']);
});

test('parallel coordinates: an axis per differing setting, then the metric; colour score by better direction', () => {
  const runs = [
    rowFixture({
      id: 'a',
      settings: { lr: 0.001, optimizer: 'sgd', batch: 8 },
      final: { 'validation/loss': 0.9 },
    }),
    rowFixture({
      id: 'b',
      settings: { lr: 0.1, optimizer: 'adam', batch: 8 },
      final: { 'validation/loss': 0.3 },
    }),
    rowFixture({
      id: 'c',
      settings: { lr: 0.01, optimizer: 'adam', batch: 8 },
      final: { 'validation/loss': 0.5 },
    }),
    rowFixture({ id: 'd', settings: { lr: 1, optimizer: 'sgd', batch: 8 } }),
  ];
  const chart = parallelChart(runs, 'final:validation/loss');
  assert.equal(chart.withoutMetric, 1);
  assert.deepEqual(
    chart.axes.map((axis) => [axis.column, axis.kind]),
    [
      ['setting:lr', 'log'],
      ['setting:optimizer', 'category'],
      ['final:validation/loss', 'linear'],
    ],
  );
  const [a, b, c] = chart.lines;
  // lr 0.001 … 0.1 on a log axis: 0.01 sits halfway.
  assert.deepEqual(
    [a, b, c].map((line) => line.points[0]),
    [0, 1, 0.5],
  );
  assert.deepEqual(
    [a, b, c].map((line) => line.points[1]),
    [1, 0, 0],
  );
  // Lower loss is better: b scores 1, a scores 0.
  assert.deepEqual(
    [a, b].map((line) => line.score),
    [0, 1],
  );
  assert.ok(Math.abs(c.score - 2 / 3) < 1e-12, `c scores ${c.score}`);
  const accuracy = parallelChart(
    [
      rowFixture({ final: { 'validation/accuracy': 0.5 } }),
      rowFixture({ final: { 'validation/accuracy': 0.9 } }),
    ],
    'final:validation/accuracy',
  );
  assert.deepEqual(
    accuracy.lines.map((line) => line.score),
    [0, 1],
  );
});

test('column widths count a Chinese character as two ch, so translated headers are not cut off', () => {
  assert.equal(textWidth('Started'), 7);
  assert.equal(textWidth('开始时间'), 8);
  assert.equal(textWidth('最佳 validation/loss'), 20);
  assert.equal(textWidth('（蓝）'), 6);
});
