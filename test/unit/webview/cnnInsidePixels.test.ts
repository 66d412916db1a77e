// The CNN inside view's pure drawing logic: each map normalised on its own, the grid that places
// a layer's maps in one canvas, and the bytes written there.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cellAt, cellOrigin, gridLayout } from '../../../webview/cnnInside/gridLayout';
import { gridPixels, normalisedLevels, valueRange } from '../../../webview/cnnInside/mapPixels';

test("a map's lowest value is black and its highest white, whatever their scale and sign", () => {
  assert.deepEqual(Array.from(normalisedLevels([0, 5, 10], 0, 3)), [0, 128, 255]);
  assert.deepEqual(Array.from(normalisedLevels([-0.2, 0, 0.2], 0, 3)), [0, 128, 255]);
  // Per map: the second map's tiny values are as visible as the first's large ones.
  const values = [0, 100, 200, 0.001, 0.002, 0.003];
  assert.deepEqual(Array.from(normalisedLevels(values, 0, 3)), [0, 128, 255]);
  assert.deepEqual(Array.from(normalisedLevels(values, 3, 3)), [0, 128, 255]);
});

test('a map with one value everywhere (a ReLU map that never fires) is all black, not NaN', () => {
  assert.deepEqual(Array.from(normalisedLevels([0, 0, 0, 0], 0, 4)), [0, 0, 0, 0]);
  assert.deepEqual(Array.from(normalisedLevels([3, 3], 0, 2)), [0, 0]);
});

test('small maps grow by a whole factor to about the target size, in as many columns as fit', () => {
  // 8 maps of 8×8, about 56 px each: ×7 (56 px), 2 px apart; 200 px fit 3 columns (3·56 + 2·2 = 172).
  const layout = gridLayout({ count: 8, height: 8, width: 8, maxWidth: 200, gap: 2, target: 56 });
  assert.equal(layout.scale, 7);
  assert.deepEqual([layout.columns, layout.rows], [3, 3]);
  assert.deepEqual([layout.canvasWidth, layout.canvasHeight], [3 * 56 + 2 * 2, 3 * 56 + 2 * 2]);
  assert.deepEqual(cellOrigin(layout, 4), { x: 58, y: 58 });
  // A wide panel holds them all in one row.
  const wide = gridLayout({ count: 8, height: 8, width: 8, maxWidth: 1000, gap: 2, target: 56 });
  assert.deepEqual([wide.columns, wide.rows, wide.canvasWidth], [8, 1, 8 * 56 + 7 * 2]);
});

test('large maps keep one pixel per value and a map wider than the panel still gets a column', () => {
  const large = gridLayout({ count: 4, height: 100, width: 120, maxWidth: 300, gap: 2, target: 56 });
  assert.deepEqual([large.scale, large.columns, large.rows], [1, 2, 2]);
  const narrow = gridLayout({ count: 3, height: 10, width: 400, maxWidth: 300, gap: 2, target: 56 });
  assert.deepEqual([narrow.scale, narrow.columns, narrow.canvasWidth], [1, 1, 400]);
});

test('grid pixels: every value a scale × scale square of its grey level, gaps transparent', () => {
  // Two 1×2 maps, scaled ×2, one column, 1 px apart: canvas 4 × 5.
  const layout = gridLayout({ count: 2, height: 1, width: 2, maxWidth: 5, gap: 1, target: 4 });
  assert.deepEqual([layout.scale, layout.columns, layout.canvasWidth, layout.canvasHeight], [2, 1, 4, 5]);
  const rgba = gridPixels({ channels: 2, height: 1, width: 2, values: [1, 3, 9, -9] }, layout);
  const grey = (x: number, y: number) => rgba[(y * 4 + x) * 4];
  const alpha = (x: number, y: number) => rgba[(y * 4 + x) * 4 + 3];
  // Map 0 (rows 0–1): 1 → black, 3 → white. Row 2 is the gap. Map 1 (rows 3–4): 9 → white, −9 → black.
  for (const y of [0, 1])
    assert.deepEqual(
      [0, 1, 2, 3].map((x) => grey(x, y)),
      [0, 0, 255, 255],
    );
  assert.deepEqual(
    [0, 1, 2, 3].map((x) => alpha(x, 2)),
    [0, 0, 0, 0],
  );
  for (const y of [3, 4])
    assert.deepEqual(
      [0, 1, 2, 3].map((x) => grey(x, y)),
      [255, 255, 0, 0],
    );
  assert.ok([0, 1, 3, 4].every((y) => [0, 1, 2, 3].every((x) => alpha(x, y) === 255)));
  // Grey: red, green and blue equal.
  assert.equal(rgba[8], rgba[9]);
  assert.equal(rgba[9], rgba[10]);
});

test('hovering names the map under the pointer, none in a gap or past the last map', () => {
  // 5 maps of 8×8 at ×7 in 3 columns, 2 px apart: cells start at 0, 58 and 116 on each axis.
  const layout = gridLayout({ count: 5, height: 8, width: 8, maxWidth: 200, gap: 2, target: 56 });
  assert.equal(cellAt(layout, 5, 0, 0), 0);
  assert.equal(cellAt(layout, 5, 55, 55), 0);
  assert.equal(cellAt(layout, 5, 56, 10), undefined, 'the gap right of map 0');
  assert.equal(cellAt(layout, 5, 58, 10), 1);
  assert.equal(cellAt(layout, 5, 60, 60), 4);
  assert.equal(cellAt(layout, 5, 120, 60), undefined, 'row 2, column 3 would be a sixth map');
  assert.equal(cellAt(layout, 5, 10, 56), undefined, 'the gap below map 0');
  assert.equal(cellAt(layout, 5, -1, 0), undefined);
  // The tooltip's range is what black and white stand for in that map.
  assert.deepEqual(valueRange([9, 9, -0.5, 2, 0.25], 2, 3), { min: -0.5, max: 2 });
});
