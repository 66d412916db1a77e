// Percentile picking without a sort, against a sort.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../../src/engine/init';
import { orderStatistics } from '../../../src/engine/runtime/orderStatistics';

test('order statistics equal the sorted values at those ranks, with ties, few values and many', () => {
  const rng = new Rng(9);
  for (const n of [1, 2, 5, 17, 100, 1000, 40_000]) {
    for (const ties of [false, true]) {
      const data = Float32Array.from({ length: n }, () =>
        ties ? Math.floor(rng.uniform() * 4) - 2 : rng.normal(),
      );
      const sorted = data.slice().sort();
      const ranks = [
        ...new Set([0, Math.floor(n / 7), Math.floor(n / 2), n - 2, n - 1].filter((r) => r >= 0)),
      ].sort((a, b) => a - b);
      assert.deepEqual(
        orderStatistics(data, ranks),
        ranks.map((r) => sorted[r]),
        `n = ${n}${ties ? ' with ties' : ''}`,
      );
    }
  }
});

test('the input array is left as it was', () => {
  const data = Float32Array.from([5, 3, 9, 1, 7, 2, 8, 6, 4, 0, 11, 15, 13, 12, 14, 10, 16, 18, 17]);
  const copy = data.slice();
  orderStatistics(data, [0, 9, 18]);
  assert.deepEqual(data, copy);
});
