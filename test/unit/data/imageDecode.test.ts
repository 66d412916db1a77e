/**
 * torchvision's ImageFolder reads images through PIL, so a JPEG must decode to PIL's bytes: the
 * references are files PIL saved and what PIL decoded them to (test/fixtures/images/jpeg_reference.py).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePixels } from '../../../src/data/imageDecode';

const folder = join(__dirname, '../../fixtures/images/jpeg');
const reference = JSON.parse(readFileSync(join(folder, 'pil-decoded.json'), 'utf8')) as Record<
  string,
  { width: number; height: number; rgba: string }
>;

async function decodedAndPil(name: string) {
  const image = await decodePixels('jpeg', readFileSync(join(folder, name)));
  const pil = reference[name];
  assert.deepEqual([image.width, image.height], [pil.width, pil.height]);
  return { ours: image.data, pil: new Uint8Array(Buffer.from(pil.rgba, 'base64')) };
}

for (const name of ['baseline.jpg', 'progressive.jpg', 'subsampling-444.jpg', 'grayscale.jpg']) {
  test(`a ${name.replace('.jpg', '')} JPEG decodes to PIL's bytes exactly`, async () => {
    const { ours, pil } = await decodedAndPil(name);
    assert.equal(ours.length, pil.length);
    const differing = ours.findIndex((value, i) => value !== pil[i]);
    assert.equal(differing, -1, `byte ${differing}: ${ours[differing]}, PIL ${pil[differing]}`);
  });
}

test("an Adobe CMYK JPEG decodes to PIL's RGB within one level", async () => {
  const { ours, pil } = await decodedAndPil('cmyk.jpg');
  const worst = Math.max(...Array.from(ours, (value, i) => Math.abs(value - pil[i])));
  assert.ok(worst <= 1, `a byte differs by ${worst}`);
});

test('a JPEG that ends early is refused, as PIL refuses it, not filled with grey', async () => {
  const whole = readFileSync(join(folder, 'baseline.jpg'));
  // Only the end-of-image marker missing: the scan data is whole, and PIL still calls it truncated.
  await assert.rejects(
    decodePixels('jpeg', whole.subarray(0, whole.length - 2)),
    /^Error: Premature end of JPEG file$/,
  );
  await assert.rejects(
    decodePixels('jpeg', whole.subarray(0, whole.length - 200)),
    /^Error: Premature end of JPEG file$/,
  );
  await assert.rejects(
    decodePixels('jpeg', whole.subarray(0, 300)),
    /^Error: Invalid JPEG file structure: missing SOS marker$/,
  );
});

test("a file that is no JPEG is refused in libjpeg's words, and the next one still decodes", async () => {
  await assert.rejects(
    decodePixels('jpeg', Buffer.from('not a jpeg')),
    /Not a JPEG file: starts with 0x6e 0x6f/,
  );
  const { ours, pil } = await decodedAndPil('baseline.jpg');
  assert.deepEqual(ours, pil);
});
