import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatValue, pairLabel, scatterData } from '../../../webview/evaluation/scatterData';

test('scatter: one point per (actual, predicted) pair, both axes over the same padded range', () => {
  const { points, min, max } = scatterData({ actual: [1, 3, 2], predicted: [0, 4, 2] });
  assert.deepEqual(points, [
    { x: 1, y: 0 },
    { x: 3, y: 4 },
    { x: 2, y: 2 },
  ]);
  assert.ok(min < 0 && min > -0.5, `range starts just below the smallest value, got ${min}`);
  assert.ok(max > 4 && max < 4.5, `range ends just above the largest value, got ${max}`);
  const constant = scatterData({ actual: [5, 5], predicted: [5, 5] });
  assert.ok(constant.max > constant.min, 'a constant sample still gets an axis of non-zero length');
});

test('scatter hover names the pair and its error; values print with 4 significant digits', () => {
  assert.equal(pairLabel({ x: 1.25, y: 1.5 }, formatValue), 'actual 1.25, predicted 1.5 (error 0.25)');
  assert.equal(formatValue(1234.567), '1235');
  assert.equal(formatValue(0.012345), '0.01235');
  assert.equal(formatValue(2.5e-7), '2.500e-7');
  assert.equal(formatValue(0), '0');
});
