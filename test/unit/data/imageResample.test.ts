import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resampleInto } from '../../../src/data/imageResample';

/** PIL's bilinear resize of each channel as a float image (test/fixtures/images/resample_reference.py). */
const reference = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/images/resample-reference.json'), 'utf8'),
) as { width: number; height: number; cases: Record<string, number[][]> };

/** The reference script's image as opaque RGBA bytes. */
function testImage() {
  const { width, height } = reference;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++)
        data[(y * width + x) * 4 + c] = c === 3 ? 255 : (x * 37 + y * 91 + c * 53) % 256;
  return { width, height, data };
}

for (const [size, channels] of Object.entries(reference.cases)) {
  test(`resampling a 7×5 image to ${size} gives PIL's bilinear filter, shrinking antialiased`, () => {
    const [width, height] = size.split('x').map(Number);
    const out = new Float32Array(3 * width * height);
    resampleInto(testImage(), 3, height, width, out);
    channels
      .flat()
      .forEach((expected, i) =>
        assert.ok(Math.abs(out[i] - expected) < 1e-5, `value ${i}: ${out[i]}, PIL ${expected}`),
      );
  });
}

test('shrinking averages every source pixel: thin lines every 4th column become grey, not lost between samples', () => {
  const side = 16;
  const data = new Uint8Array(side * side * 4);
  for (let i = 0; i < side * side; i++) {
    if (i % 4 === 0) data.fill(255, i * 4, i * 4 + 3);
    data[i * 4 + 3] = 255;
  }
  const out = new Float32Array(4 * 4);
  resampleInto({ width: side, height: side, data }, 1, 4, 4, out);
  // A quarter of the pixels are white; sampling at a few points would read only the black between them.
  // Every output pixel is grey (the edge ones see a truncated footprint, so they differ a little).
  for (const v of out) assert.ok(v > 0.15 && v < 0.35, `pixel ${v}: aliased instead of averaged`);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  assert.ok(Math.abs(mean - 0.25) < 0.02, `mean ${mean}`);
});

test('grayscale is BT.601 luma and a transparent pixel reads as black', () => {
  const data = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 0]);
  const out = new Float32Array(4);
  resampleInto({ width: 4, height: 1, data }, 1, 1, 4, out);
  assert.deepEqual(
    Array.from(out, (v) => Number(v.toFixed(4))),
    [0.299, 0.587, 0.114, 0],
  );
});

test('a half-transparent pixel is its colour over black, in RGB and in grayscale', () => {
  const data = Uint8Array.from([200, 100, 50, 128, 200, 100, 50, 128]);
  const rgb = new Float32Array(3);
  resampleInto({ width: 2, height: 1, data }, 3, 1, 1, rgb);
  const over = (value: number) => (value / 255) * (128 / 255);
  assert.deepEqual(
    Array.from(rgb, (v) => v.toFixed(5)),
    [over(200), over(100), over(50)].map((v) => v.toFixed(5)),
  );
  const gray = new Float32Array(1);
  resampleInto({ width: 2, height: 1, data }, 1, 1, 1, gray);
  assert.equal(gray[0].toFixed(5), (0.299 * over(200) + 0.587 * over(100) + 0.114 * over(50)).toFixed(5));
});
