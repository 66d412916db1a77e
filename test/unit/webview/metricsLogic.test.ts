import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import { parseCsv, seriesToCsv } from '../../../webview/metrics/csv';
import { EmaSmoother, smoothSeries } from '../../../webview/metrics/ema';
import { SeriesStore, familyOf, compareFamilies } from '../../../webview/metrics/seriesStore';
import { isOneTwoFive, readableLogTicks } from '../../../webview/metrics/logTicks';
import { EpochScale } from '../../../webview/metrics/xAxis';
import { formatSeconds } from '../../../webview/metrics/timeTicks';

const record = (
  step: number,
  name: string,
  value: number,
  extra: Partial<MetricRecord> = {},
): MetricRecord => ({
  step,
  epoch: 0,
  time: step / 10,
  split: 'train',
  name,
  value,
  ...extra,
});

test('EMA is debiased: the first smoothed value equals the first raw value, then follows the recurrence', () => {
  const w = 0.6;
  const values = [2, 4, 8, 1];
  let biased = 0;
  const expected = values.map((v, i) => {
    biased = biased * w + (1 - w) * v;
    return biased / (1 - w ** (i + 1));
  });
  const smoothed = smoothSeries(values, w);
  assert.equal(smoothed[0], 2);
  smoothed.forEach((s, i) =>
    assert.ok(Math.abs(s - expected[i]) < 1e-12, `point ${i}: ${s} vs ${expected[i]}`),
  );
});

test('EMA weight 0 leaves data unchanged; NaN passes through without poisoning later points', () => {
  assert.deepEqual(smoothSeries([3, 1, 2], 0), [3, 1, 2]);
  const s = new EmaSmoother(0.5);
  assert.equal(s.next(4), 4);
  assert.ok(Number.isNaN(s.next(Number.NaN)));
  assert.ok(Number.isFinite(s.next(2)));
  assert.throws(() => new EmaSmoother(1), /\[0, 1\)/);
});

test('metric names map to chart families with loss first and unknown names after the known ones', () => {
  assert.equal(familyOf('loss'), 'loss');
  assert.equal(familyOf('f1'), 'accuracy');
  assert.equal(familyOf('samples_per_sec'), 'throughput');
  assert.equal(familyOf('perplexity'), 'perplexity');
  assert.equal(familyOf('mae'), 'error');
  assert.equal(familyOf('rmse'), 'error');
  assert.equal(familyOf('r2'), 'r2');
  assert.deepEqual(
    ['perplexity', 'throughput', 'r2', 'loss', 'lr', 'error', 'accuracy', 'bleu'].sort(compareFamilies),
    ['loss', 'accuracy', 'error', 'r2', 'lr', 'throughput', 'bleu', 'perplexity'],
  );
});

test('series store groups records per run and metric and appends incrementally with smoothing', () => {
  const store = new SeriesStore();
  store.setSmoothing(0.5);
  const changed = store.append('runA', [record(1, 'loss', 4), record(1, 'lr', 0.1), record(2, 'loss', 2)]);
  assert.deepEqual([...changed].sort(), ['loss', 'lr']);
  store.append('runA', [record(3, 'loss', 1, { split: 'validation' })]);
  const loss = store.inFamily('loss');
  assert.deepEqual(
    loss.map((s) => s.metric),
    ['train/loss', 'validation/loss'],
  );
  const train = loss[0];
  assert.deepEqual(train.raw, [
    { x: 1, y: 4 },
    { x: 2, y: 2 },
  ]);
  assert.deepEqual(
    train.smoothed.map((p) => p.y),
    smoothSeries([4, 2], 0.5),
  );
  store.setSmoothing(0);
  assert.deepEqual(
    train.smoothed.map((p) => p.y),
    [4, 2],
  );
});

test('an out-of-order record is inserted by x so the series stays sorted for decimation', () => {
  const store = new SeriesStore();
  store.append('r', [record(1, 'loss', 1), record(3, 'loss', 3)]);
  store.append('r', [record(2, 'loss', 2)]);
  const [series] = store.all();
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [1, 2, 3],
  );
  assert.deepEqual(
    series.points.map((p) => p.value),
    [1, 2, 3],
  );
});

test('x axis switches between step, fractional epoch and wall time', () => {
  const store = new SeriesStore();
  // 4 steps per epoch: epoch 0 = steps 0..3, epoch 1 = steps 4..7
  const records = Array.from({ length: 8 }, (_, step) =>
    record(step, 'loss', step, { epoch: Math.floor(step / 4), time: step * 1.5 }),
  );
  store.append('r', records);
  const [series] = store.all();
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  store.setXAxis('epoch');
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75],
  );
  store.setXAxis('time');
  assert.deepEqual(
    series.raw.map((p) => p.x),
    records.map((r) => r.time),
  );
});

test('while live in epoch mode, points of the first epoch move once the second epoch reveals its length', () => {
  const store = new SeriesStore();
  store.setXAxis('epoch');
  store.append('r', [record(0, 'loss', 1), record(1, 'loss', 1)]);
  const [series] = store.all();
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [0, 0],
  );
  store.append('r', [record(2, 'loss', 1, { epoch: 1 })]);
  assert.deepEqual(
    series.raw.map((p) => p.x),
    [0, 0.5, 1],
  );
});

test('epoch scale takes the newest epoch length from the previous epoch', () => {
  const scale = new EpochScale();
  for (const step of [0, 10, 20]) scale.observe({ step, epoch: step / 10, time: 0 });
  assert.equal(scale.epochOf({ step: 25, epoch: 2, time: 0 }), 2.5);
});

test('wall-time ticks read as seconds, minutes or hours', () => {
  assert.equal(formatSeconds(42), '42s');
  assert.equal(formatSeconds(187), '3:07');
  assert.equal(formatSeconds(3723), '1:02:03');
});

test('CSV export has one row per recorded point with the metrics.jsonl fields, round-tripping values', () => {
  const store = new SeriesStore();
  const records = [record(1, 'loss', 0.1 + 0.2), record(2, 'loss', 1e-7), record(1, 'accuracy', 0.5)];
  store.append('/runs/a', records);
  const csv = seriesToCsv(store.all(), () => 'exp, "quoted"', false);
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ['run', 'step', 'epoch', 'time', 'split', 'name', 'value']);
  const parsed = rows.slice(1).map(([run, step, epoch, time, split, name, value]) => ({
    run,
    record: {
      step: Number(step),
      epoch: Number(epoch),
      time: Number(time),
      split,
      name,
      value: Number(value),
    },
  }));
  assert.ok(parsed.every((p) => p.run === 'exp, "quoted"'));
  const key = (r: MetricRecord) => `${r.name}@${r.step}`;
  assert.deepEqual(
    parsed.map((p) => p.record as MetricRecord).sort((a, b) => key(a).localeCompare(key(b))),
    [...records].sort((a, b) => key(a).localeCompare(key(b))),
  );
});

test('CSV export adds the smoothed column when smoothing is on', () => {
  const store = new SeriesStore();
  store.setSmoothing(0.9);
  store.append('r', [record(1, 'loss', 1), record(2, 'loss', 3)]);
  const rows = parseCsv(seriesToCsv(store.all(), (r) => r, true));
  assert.equal(rows[0].at(-1), 'smoothed');
  assert.deepEqual(
    rows.slice(1).map((r) => Number(r.at(-1))),
    smoothSeries([1, 3], 0.9),
  );
});

test('log-scale ticks keep 1-2-5 × 10^k, so labels between 0.2 and 3 do not pile up', () => {
  // What chart.js builds for a loss falling from 3 to 0.2: every 1…9 × 10^k.
  const built = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.5, 2, 3].map((value) => ({ value }));
  assert.deepEqual(
    readableLogTicks(built).map((t) => t.value),
    [0.2, 0.5, 1, 2],
  );
  assert.ok(isOneTwoFive(0.005) && isOneTwoFive(2e-7) && isOneTwoFive(500));
  assert.ok(!isOneTwoFive(0.3) && !isOneTwoFive(0) && !isOneTwoFive(-1) && !isOneTwoFive(Infinity));
  // A narrow range with fewer than three 1-2-5 values keeps every tick rather than leaving one label.
  const narrow = [0.3, 0.4, 0.5, 0.6].map((value) => ({ value }));
  assert.deepEqual(readableLogTicks(narrow), narrow);
});
