import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  buildPalette,
  MASKED,
  paintLevels,
  poolMax,
  visibleToken,
} from '../../../webview/attention/heatmapPixels';

/** Pools at the map's own size (one pixel per cell, as the enlarged map is drawn) and paints. */
function paintCells(probs: number[], offset: number, length: number, palette: Uint8ClampedArray) {
  const pooled = new Float32Array(length * length);
  const max = poolMax(probs, offset, length, length, pooled);
  const out = new Uint8ClampedArray(length * length * 4);
  paintLevels(pooled, max, palette, out);
  return { max, out };
}

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
  const { max, out } = paintCells(probs, 4, 2, palette);
  assert.equal(max, 1);
  const level = (p: number) => [...palette.slice(Math.round(p * 255) * 4, Math.round(p * 255) * 4 + 4)];
  assert.deepEqual([...out.slice(0, 4)], level(1));
  assert.equal(out[7], 0, 'masked entry above the diagonal is transparent');
  assert.deepEqual([...out.slice(8, 12)], level(0.25));
  assert.deepEqual([...out.slice(12, 16)], level(0.75));
});

test('a zero on or below the diagonal is a real weight, drawn with the lowest colour', () => {
  const palette = buildPalette();
  const { out } = paintCells([1, 0.5, 0, 1], 0, 2, palette);
  assert.deepEqual([...out.slice(8, 12)], [...palette.slice(0, 4)]);
});

/**
 * What a thumbnail pixel shows, computed the slow obvious way: scan every cell
 * of the map and keep the largest unmasked weight among those whose query and
 * key fall in the pixel's row and column ranges (at least one cell each).
 */
function referencePool(probs: number[], length: number, size: number): number[] {
  const first = (i: number) => Math.floor((i * length) / size);
  const inRange = (cell: number, i: number) =>
    cell >= first(i) && cell < Math.max(first(i) + 1, first(i + 1));
  const out: number[] = [];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const visible: number[] = [];
      for (let q = 0; q < length; q++)
        for (let k = 0; k < length; k++) {
          const p = probs[q * length + k];
          if (inRange(q, y) && inRange(k, x) && !(p === 0 && k > q)) visible.push(p);
        }
      out.push(visible.length === 0 ? MASKED : Math.max(...visible));
    }
  return out;
}

/** A causal map like a trained head's: rows of random weights summing to 1, zeros above the diagonal. */
function causalMap(length: number, seed: number): number[] {
  const probs = new Array<number>(length * length).fill(0);
  for (let q = 0; q < length; q++) {
    let sum = 0;
    for (let k = 0; k <= q; k++) {
      seed = (seed * 16807) % 2147483647;
      sum += probs[q * length + k] = seed / 2147483647;
    }
    for (let k = 0; k <= q; k++) probs[q * length + k] /= sum;
  }
  return probs;
}

test('thumbnail pixels keep the largest weight of their 2×2 block; a block of masked cells is empty', () => {
  // rows are queries; zeros above the diagonal are masked, the 0 at (1, 0) of the second head is a real weight
  const probs = [
    [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0, 0.1, 0.6, 0.2, 0.1],
    [1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
  ].flat();
  const pooled = new Float32Array(4);
  assert.equal(poolMax(probs, 0, 4, 2, pooled), 1);
  assert.deepEqual([...pooled], [1, MASKED, 0.6, 0.5].map(Math.fround));
  assert.equal(poolMax(probs, 16, 4, 2, pooled), 1);
  assert.deepEqual([...pooled], [1, MASKED, 1, 0], 'a block holding only real zeros is drawn, not empty');
});

test('a map smaller than the thumbnail repeats whole cells, masked ones empty', () => {
  const pooled = new Float32Array(16);
  poolMax([1, 0, 0.25, 0.75], 0, 2, 4, pooled);
  const M = MASKED;
  assert.deepEqual([...pooled], [1, 1, M, M, 1, 1, M, M, 0.25, 0.25, 0.75, 0.75, 0.25, 0.25, 0.75, 0.75]);
});

test('thumbnail pooling matches the cell-by-cell reference at sizes that do not divide evenly', () => {
  for (const [length, size] of [
    [50, 21],
    [37, 11],
    [7, 16],
    [28, 84],
    [5, 5],
  ]) {
    const probs = causalMap(length, length * 31 + size);
    const pooled = new Float32Array(size * size);
    const max = poolMax(probs, 0, length, size, pooled);
    const expected = referencePool(probs, length, size).map(Math.fround);
    assert.deepEqual([...pooled], expected, `T = ${length} at ${size} px`);
    assert.equal(max, Math.max(...probs), 'the colour scale tops at the map’s own maximum');
  }
});

test('a head attending to one key stays full-brightness in the thumbnail (max, not mean)', () => {
  const length = 256;
  const probs = new Array<number>(length * length).fill(0);
  for (let q = 0; q < length; q++) probs[q * length + Math.max(0, q - 1)] = 1; // previous-token head
  const pooled = new Float32Array(84 * 84);
  const max = poolMax(probs, 0, length, 84, pooled);
  const out = new Uint8ClampedArray(84 * 84 * 4);
  const palette = buildPalette();
  paintLevels(pooled, max, palette, out);
  for (let y = 0; y < 84; y++) {
    const o = (y * 84 + y) * 4; // the diagonal pixel holds the cell just left of the diagonal
    assert.deepEqual([...out.slice(o, o + 4)], [...palette.slice(1020, 1024)], `row ${y}`);
  }
  assert.equal(out[(0 * 84 + 83) * 4 + 3], 0, 'top-right corner is masked, transparent');
});

test('tokens show spaces, newlines and control characters visibly', () => {
  assert.equal(visibleToken(' '), '␣');
  assert.equal(visibleToken('\n'), '↵');
  assert.equal(visibleToken('a b\tc'), 'a␣b⇥c');
  assert.equal(visibleToken('\u0001'), '␁');
  assert.equal(visibleToken('λ'), 'λ');
});
