import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildPalette, fillHeatmap, mapMax, visibleToken } from '../../../webview/attention/heatmapPixels';

test('palette has 256 opaque entries running from dark purple to bright yellow with rising brightness', () => {
  const palette = buildPalette();
  assert.equal(palette.length, 1024);
  assert.deepEqual([...palette.slice(0, 4)], [68, 1, 84, 255]);
  assert.deepEqual([...palette.slice(1020, 1024)], [253, 231, 37, 255]);
  const luma = (i: number) => 0.3 * palette[i * 4] + 0.59 * palette[i * 4 + 1] + 0.11 * palette[i * 4 + 2];
  for (let i = 1; i < 256; i++) assert.ok(luma(i) >= luma(i - 1) - 0.5, `level ${i} darker than ${i - 1}`);
});

test('heatmap pixels: weight scaled to the map max picks the palette level; causal zeros are transparent', () => {
  const palette = buildPalette();
  // one head, T = 2 causal: row 0 = [1, 0 (masked)], row 1 = [0.25, 0.75]; second head follows at offset 4
  const probs = [9, 9, 9, 9, 1, 0, 0.25, 0.75];
  const out = new Uint8ClampedArray(2 * 2 * 4);
  const max = mapMax(probs, 4, 2);
  assert.equal(max, 1);
  fillHeatmap(probs, 4, 2, max, palette, out);
  const level = (p: number) => [...palette.slice(Math.round(p * 255) * 4, Math.round(p * 255) * 4 + 4)];
  assert.deepEqual([...out.slice(0, 4)], level(1));
  assert.equal(out[7], 0, 'masked entry above the diagonal is transparent');
  assert.deepEqual([...out.slice(8, 12)], level(0.25));
  assert.deepEqual([...out.slice(12, 16)], level(0.75));
});

test('a zero on or below the diagonal is a real weight, drawn with the lowest colour', () => {
  const palette = buildPalette();
  const out = new Uint8ClampedArray(16);
  fillHeatmap([1, 0.5, 0, 1], 0, 2, 1, palette, out);
  assert.deepEqual([...out.slice(8, 12)], [...palette.slice(0, 4)]);
});

test('tokens show spaces, newlines and control characters visibly', () => {
  assert.equal(visibleToken(' '), '␣');
  assert.equal(visibleToken('\n'), '↵');
  assert.equal(visibleToken('a b\tc'), 'a␣b⇥c');
  assert.equal(visibleToken('\u0001'), '␁');
  assert.equal(visibleToken('λ'), 'λ');
});
