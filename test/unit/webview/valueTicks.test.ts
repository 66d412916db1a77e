import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatLinearTick } from '../../../webview/metrics/valueTicks';

const labels = (values: number[]) =>
  values.map((v) =>
    formatLinearTick(
      v,
      values.map((value) => ({ value })),
    ),
  );

test('a learning rate decaying from 0.002 to 0.001996 gets ticks that differ, not seven times "0.002"', () => {
  const values = [0.001996, 0.0019965, 0.001997, 0.0019975, 0.001998, 0.0019985, 0.001999, 0.0019995, 0.002];
  const shown = labels(values);
  assert.equal(new Set(shown).size, values.length, shown.join(' '));
  assert.deepEqual(shown.slice(0, 3), ['0.001996', '0.0019965', '0.001997']);
});

test('ordinary axes read as before: four significant digits at most, no float noise', () => {
  assert.deepEqual(labels([0, 0.5, 1, 1.5, 2, 2.5, 3]), ['0', '0.5', '1', '1.5', '2', '2.5', '3']);
  assert.deepEqual(labels([0.9, 0.92, 0.9400000000000001, 0.96, 0.98, 1]), [
    '0.9',
    '0.92',
    '0.94',
    '0.96',
    '0.98',
    '1',
  ]);
  assert.deepEqual(labels([0, 2000, 4000, 12000]), ['0', '2000', '4000', '12000']);
  assert.deepEqual(labels([0.1, 0.2, 0.30000000000000004]), ['0.1', '0.2', '0.3']);
});

test('a single tick or a non-finite value falls back to four significant digits', () => {
  assert.equal(formatLinearTick(0.123456, [{ value: 0.123456 }]), '0.1235');
  assert.equal(formatLinearTick(Number.NaN, [{ value: 0 }, { value: 1 }]), 'NaN');
});
