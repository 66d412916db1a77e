import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import { readableLogTicks } from '../../../webview/metrics/logTicks';
import { SeriesStore, type Series } from '../../../webview/metrics/seriesStore';
import { formatSeconds, wallTimeTicks } from '../../../webview/metrics/timeTicks';
import { tooltipLine } from '../../../webview/metrics/tooltipText';

const record = (split: MetricRecord['split'], name: string, step: number, value: number): MetricRecord => ({
  step,
  epoch: 0,
  time: step / 10,
  split,
  name,
  value,
});

/** The series of one run's records, by "split/name", smoothed with `weight`. */
function seriesOf(
  weight: number,
  records: MetricRecord[],
): { store: SeriesStore; byMetric: Map<string, Series> } {
  const store = new SeriesStore();
  store.setSmoothing(weight);
  store.append('run', records);
  return { store, byMetric: new Map(store.all().map((s) => [s.metric, s])) };
}

function labels(min: number, max: number, maxTicks: number): string[] {
  const values = wallTimeTicks(min, max, maxTicks);
  const step = values.length > 1 ? values[1] - values[0] : 1;
  return values.map((v) => formatSeconds(v, step));
}

test('wall-time ticks over a couple of seconds are distinct (not "0s 1s 1s 2s")', () => {
  const shown = labels(0, 2.2, 6);
  assert.deepEqual(shown, ['0s', '0.5s', '1s', '1.5s', '2s']);
  assert.equal(new Set(shown).size, shown.length);
});

test('wall-time ticks step by clock units: 30 s, then whole minutes, then hours', () => {
  assert.deepEqual(labels(0, 170, 7), ['0s', '30s', '1:00', '1:30', '2:00', '2:30']);
  assert.deepEqual(labels(0, 1300, 6), ['0s', '5:00', '10:00', '15:00', '20:00']);
  assert.deepEqual(labels(3000, 11000, 5), ['1:00:00', '2:00:00', '3:00:00']);
  // A chart narrower than two labels still gets its ends.
  assert.ok(wallTimeTicks(0, 40, 0.5).length >= 1);
  // Every tick inside the range, at most the count asked for, all labels different.
  for (const [min, max, count] of [
    [0.3, 7.9, 8],
    [12, 47, 4],
    [0, 86400 * 3, 6],
  ]) {
    const values = wallTimeTicks(min, max, count);
    assert.ok(values.length <= count && values.length >= 2, `${min}..${max}: ${values}`);
    assert.ok(values.every((v) => v >= min - 1e-9 && v <= max + 1e-9));
    const shown = labels(min, max, count);
    assert.equal(new Set(shown).size, shown.length, shown.join(' '));
  }
});

test('log-scale ticks on a narrow range are a few nice values, not one per 0.001', () => {
  // What chart.js builds for a loss between 0.31 and 0.35: 0.310, 0.311, … 0.350.
  const built = Array.from({ length: 41 }, (_, i) => ({ value: Number((0.31 + i / 1000).toFixed(3)) }));
  const kept = readableLogTicks(built, 6).map((t) => t.value);
  assert.deepEqual(kept, [0.31, 0.32, 0.33, 0.34, 0.35]);
  // A taller chart has room for more, still at a nice step.
  assert.deepEqual(
    readableLogTicks(built, 9).map((t) => t.value),
    [0.31, 0.315, 0.32, 0.325, 0.33, 0.335, 0.34, 0.345, 0.35],
  );
});

test('log-scale ticks over many decades keep powers of ten when 1-2-5 would crowd', () => {
  const built: { value: number }[] = [];
  for (let e = -6; e <= 1; e++)
    for (let m = 1; m <= 9; m++) built.push({ value: Number((m * 10 ** e).toPrecision(3)) });
  const kept = readableLogTicks(built, 8).map((t) => t.value);
  assert.deepEqual(kept, [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10]);
  assert.ok(readableLogTicks(built, 4).length <= 4);
});

test('smoothing applies to training series, not to validation, test or the learning rate', () => {
  const { store, byMetric } = seriesOf(0.9, [
    record('train', 'loss', 1, 1),
    record('train', 'loss', 2, 3),
    record('train', 'lr', 1, 0.1),
    record('train', 'lr', 2, 0.01),
    record('validation', 'loss', 1, 2),
    record('validation', 'loss', 2, 1),
    record('test', 'accuracy', 2, 0.9),
  ]);
  const trainLoss = byMetric.get('train/loss')!;
  assert.equal(trainLoss.smoothing, true);
  assert.notEqual(trainLoss.smoothed[1].y, 3);
  for (const metric of ['train/lr', 'validation/loss', 'test/accuracy']) {
    const series = byMetric.get(metric)!;
    assert.equal(series.smoothing, false, metric);
    assert.deepEqual(series.smoothed, series.raw, metric);
  }
  // Another slider position keeps the rule.
  store.setSmoothing(0.5);
  assert.deepEqual(byMetric.get('train/lr')!.smoothed, byMetric.get('train/lr')!.raw);
  assert.equal(trainLoss.smoothing, true);
  store.setSmoothing(0);
  assert.equal(trainLoss.smoothing, false);
});

test('the tooltip gives the smoothed and the raw value of a smoothed series, the raw value of others', () => {
  const { byMetric } = seriesOf(0.6, [
    record('train', 'loss', 1, 2),
    record('train', 'loss', 2, 1),
    record('validation', 'loss', 2, 1.25),
  ]);
  const train = byMetric.get('train/loss')!;
  const validation = byMetric.get('validation/loss')!;
  const smoothedAt2 = Number(train.smoothed[1].y.toPrecision(4));
  assert.equal(tooltipLine('train/loss', train, 2), `train/loss: ${smoothedAt2} (raw 1)`);
  // Between points (the pointer is rarely exactly on one) it reads the nearest.
  assert.equal(tooltipLine('train/loss', train, 1.2), 'train/loss: 2 (raw 2)');
  assert.equal(tooltipLine('validation/loss', validation, 2), 'validation/loss: 1.25');
});
