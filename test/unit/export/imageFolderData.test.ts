/**
 * An image folder's experiment exported to PyTorch: the project's data/x.bin holds the images as
 * the model reads them (float32, each pixel byte / 255), though Model Lab keeps them as 8-bit
 * pixels in memory; data.py reads floats whatever the source.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { createRng } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { exportPytorchProject } from '../../../src/export/pytorch/exportProject';
import { quickTraining } from '../../fixtures/experimentParts';
import { experimentWith } from '../data/fixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-image-export-'));
after(() => rmSync(root, { recursive: true, force: true }));

const experiment = experimentWith(
  { source: 'images', splits: { train: 0.5, validation: 0.25, test: 0.25 }, seed: 3 },
  {
    model: {
      input: { shape: [3, 4, 4] },
      layers: [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }],
    },
    training: quickTraining({ batchSize: 2 }),
  },
);

test('an exported image folder holds the pixels as floats, byte / 255, in the order Model Lab loads them', async () => {
  // 8×8 RGB images brought to 4×4: the resized values fall between bytes, and are kept as bytes.
  for (const [k, name] of ['left', 'right'].entries()) {
    mkdirSync(join(root, 'images', name), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const image = new PNG({ width: 8, height: 8 });
      for (let p = 0; p < 64; p++)
        image.data.set([(p * 7 + i * 13) % 256, 100 + 50 * k, (p * 31) % 256, 255], p * 4);
      writeFileSync(join(root, 'images', name, `${i}.png`), PNG.sync.write(image));
    }
  }
  const file = join(root, 'shapes.experiment.json');
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  await exportPytorchProject({ experimentFile: file, outDir: join(root, 'project') });

  const meta = JSON.parse(readFileSync(join(root, 'project', 'data', 'meta.json'), 'utf8'));
  assert.equal(meta.arrays.x.dtype, 'float32');
  const bytes = readFileSync(join(root, 'project', 'data', meta.arrays.x.file));
  const exported = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  assert.equal(exported.length, 8 * 48);

  const dataset = await loadDataset(experiment, root);
  const arrays = dataset.arrays();
  assert.ok(arrays.kind === 'rows' && arrays.x instanceof Uint8Array);
  assert.deepEqual(
    Array.from(exported),
    Array.from(arrays.x, (byte) => Math.fround(byte / 255)),
  );
  // What training reads is the same floats.
  const [batch] = [...dataset.batches('test', 8, createRng(1))];
  const rows = arrays.splits.test;
  const expected = Array.from(rows).flatMap((row) => Array.from(exported.subarray(row * 48, (row + 1) * 48)));
  assert.deepEqual(Array.from(batch.x as Float32Array), expected);
});
