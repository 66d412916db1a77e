import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { bucketSizeFor, IncrementalLttb, lttbFixed } from '../../../webview/metrics/decimate';
import type { ChartPoint } from '../../../webview/metrics/seriesStore';

/** A noisy decaying curve with a few spikes, seeded so runs are repeatable. */
function curve(n: number, seed = 7): ChartPoint[] {
  let s = seed;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, x) => ({
    x,
    y: 1 / Math.sqrt(x + 1) + random() * 0.1 + (x % 997 === 0 ? 2 : 0),
  }));
}

test('LTTB keeps the first and last point, keeps order, and returns points of the input', () => {
  const data = curve(10_000);
  const out = lttbFixed(data, 0, data.length, 16);
  assert.equal(out[0], data[0]);
  assert.equal(out[out.length - 1], data[data.length - 1]);
  assert.equal(out.length, 2 + Math.ceil((data.length - 2) / 16));
  for (let i = 1; i < out.length; i++) assert.ok(out[i].x > out[i - 1].x);
  const inputs = new Set(data);
  assert.ok(out.every((p) => inputs.has(p)));
});

test('LTTB keeps an isolated spike that averaging would flatten', () => {
  const data = Array.from({ length: 1000 }, (_, x) => ({ x, y: x === 500 ? 100 : 0 }));
  const out = lttbFixed(data, 0, data.length, 50);
  assert.ok(out.some((p) => p.y === 100));
});

test('bucket size grows in powers of two so there are at most 2 × target buckets', () => {
  assert.equal(bucketSizeFor(1000, 600), 1);
  assert.equal(bucketSizeFor(100_002, 600), 128);
  for (const n of [1300, 5000, 100_000, 1_000_000]) {
    const size = bucketSizeFor(n, 600);
    assert.ok((n - 2) / size <= 1200 && (n - 2) / (size / 2) > 1200);
  }
});

test('incremental LTTB equals a full recomputation after every append, across bucket-size doublings', () => {
  const full = curve(30_000);
  const live: ChartPoint[] = [];
  const lttb = new IncrementalLttb(live, 100);
  let i = 0;
  let chunk = 1;
  while (i < full.length) {
    for (const p of full.slice(i, i + chunk)) live.push(p);
    i += chunk;
    chunk = (chunk * 7) % 113 || 1;
    const got = lttb.update();
    const expected = lttbFixed(live, 0, live.length, bucketSizeFor(live.length, 100));
    assert.deepEqual(got, expected, `after ${live.length} points`);
  }
  assert.ok(lttb.update().length <= 2 * 100 + 2);
});

test('short series pass through undecimated, as a copy', () => {
  const data = curve(50);
  const out = new IncrementalLttb(data, 100).update();
  assert.deepEqual(out, data);
  assert.notEqual(out, data);
});
