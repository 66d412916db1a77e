// The LSTM/GRU inside view's heatmap pixels and letter tints (webview/rnnInside/seriesPixels.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { attributionShade, paintSeries, seriesRange } from '../../../webview/rnnInside/seriesPixels';

test('gates are drawn on 0 to 1, the hidden state on −1 to 1, the cell state on ± its largest magnitude', () => {
  assert.deepEqual(seriesRange('forget', [0.2, 0.9]), { min: 0, max: 1 });
  assert.deepEqual(seriesRange('update', [0.2, 0.9]), { min: 0, max: 1 });
  assert.deepEqual(seriesRange('hidden', [0.2, -0.9]), { min: -1, max: 1 });
  assert.deepEqual(seriesRange('cell', [0.5, -2.5, 1]), { min: -2.5, max: 2.5 });
  assert.deepEqual(seriesRange('cell', [0, 0]), { min: -1, max: 1 });
});

test('time runs across and units down: value [step, unit] lands on pixel (step, unit) at its palette level', () => {
  // A palette whose red channel is the level, so each pixel says which level it got.
  const palette = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) palette.set([i, 0, 255 - i, 255], i * 4);
  const steps = 3;
  const units = 2;
  // values[t * units + u]
  const values = [0, 1, 0.5, 0.25, 1, 0];
  const out = new Uint8ClampedArray(steps * units * 4);
  paintSeries(values, steps, units, { min: 0, max: 1 }, palette, out);
  const red = (x: number, y: number) => out[(y * steps + x) * 4];
  assert.deepEqual(
    [0, 1].map((u) => [0, 1, 2].map((t) => red(t, u))),
    [
      [0, 128, 255],
      [255, 64, 0],
    ],
  );
  // Values outside the range are clamped to its ends.
  paintSeries([-3, 3, 0, 0, 0, 0], steps, units, { min: -1, max: 1 }, palette, out);
  assert.deepEqual([red(0, 0), red(0, 1), red(1, 0)], [0, 255, 128]);
});

test('a letter is tinted by its share of the largest change, in the colour of its sign', () => {
  const attribution = [0, 0.1, -0.2, 0.4];
  assert.deepEqual(attributionShade(attribution, 3), { strength: 1, supports: true });
  assert.deepEqual(attributionShade(attribution, 2), { strength: 0.5, supports: false });
  assert.deepEqual(attributionShade(attribution, 1), { strength: 0.25, supports: true });
  assert.deepEqual(attributionShade([0, 0], 1), { strength: 0, supports: true });
});
