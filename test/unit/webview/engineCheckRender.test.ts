import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatShape, formatTensor } from '../../../webview/engineCheck/render';

test('a matrix is shown row by row', () => {
  assert.equal(
    formatTensor({ dims: [2, 2], data: [0.125, 6.5, 3.125, 13.25] }),
    '[[0.125, 6.5], [3.125, 13.25]]',
  );
  assert.equal(formatShape([2, 3]), '2×3');
});

test('a vector is one row, and float32 noise is trimmed to six significant digits', () => {
  assert.equal(formatTensor({ dims: [3], data: [0.1 + 0.2, -2, 1e-7] }), '[0.3, -2, 1e-7]');
});
