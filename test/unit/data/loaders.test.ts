import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createRng, type Dataset } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import type { Split } from '../../../src/contract/runStatus';
import { dataError, experimentWith, scratchFolder } from './fixtures';

function allBatches(dataset: Dataset, split: Split, batchSize: number) {
  return [...dataset.batches(split, batchSize, createRng(3))];
}

test('builtin:digits: 1,797 images of shape [1,8,8], 10 classes, splits cover every example once', async () => {
  const dataset = await loadDataset(experimentWith({ source: 'builtin:digits' }), '.');
  assert.deepEqual(dataset.inputShape, [1, 8, 8]);
  assert.deepEqual(dataset.outputShape, [10]);
  assert.equal(dataset.sizes.train + dataset.sizes.validation + dataset.sizes.test, 1797);
  assert.deepEqual(dataset.sizes, { train: 1438, validation: 180, test: 179 });
  const batches = allBatches(dataset, 'train', 64);
  assert.equal(batches.length, Math.floor(1438 / 64), 'the last partial training batch is dropped');
  assert.ok(batches.every((b) => b.count === 64 && b.x.length === 64 * 64 && b.y.length === 64));
  assert.ok(batches[0].y instanceof BigInt64Array);
  const pixels = Array.from(batches[0].x as Float32Array);
  assert.ok(Math.max(...pixels) <= 1 && Math.min(...pixels) >= 0);
  const test = allBatches(dataset, 'test', 64);
  assert.deepEqual(
    test.map((b) => b.count),
    [64, 64, 51],
  );
});

test('splits and shuffles are reproducible from their seeds and differ between seeds', async () => {
  const first = (seed: number, rngSeed: number) =>
    loadDataset(experimentWith({ seed }), '.').then(
      (d) => d.batches('train', 8, createRng(rngSeed))[Symbol.iterator]().next().value!,
    );
  const a = await first(1, 5);
  const b = await first(1, 5);
  const c = await first(1, 6);
  const d = await first(2, 5);
  assert.deepEqual(a.y, b.y);
  assert.notDeepEqual(a.y, c.y);
  assert.notDeepEqual(a.y, d.y);
});

test('a float dataset can be viewed flat: digits as [64] for an MLP', async () => {
  const experiment = experimentWith({});
  experiment.model.input.shape = [64];
  const dataset = await loadDataset(experiment, '.');
  assert.deepEqual(dataset.inputShape, [64]);
  assert.equal(allBatches(dataset, 'validation', 200)[0].x.length, 180 * 64);
});

test('builtin:tiny-shakespeare: next-character targets are the inputs shifted by one', async () => {
  const dataset = await loadDataset(
    experimentWith({ source: 'builtin:tiny-shakespeare', contextLength: 32 }),
    '.',
  );
  assert.equal(dataset.inputKind, 'tokens');
  assert.equal(dataset.vocab!.tokens.length, 65);
  assert.deepEqual(dataset.outputShape, [32, 65]);
  const [batch] = dataset.batches('train', 4, createRng(1), { maxBatches: 1 });
  const x = batch.x as BigInt64Array;
  const y = batch.y as BigInt64Array;
  for (let b = 0; b < 4; b++) {
    assert.deepEqual(x.subarray(b * 32 + 1, b * 32 + 32), y.subarray(b * 32, b * 32 + 31));
  }
  assert.equal(dataset.vocab!.decode(dataset.vocab!.encode('To be, or not')), 'To be, or not');
  const validation = allBatches(dataset, 'validation', 512);
  assert.equal(
    validation.reduce((n, b) => n + b.count, 0),
    dataset.sizes.validation,
  );
  assert.equal(dataset.sizes.validation, Math.floor((Math.round(1115394 * 0.1) - 1) / 32));
});

test('builtin:names: left-padded character ids with female / male labels', async () => {
  const dataset = await loadDataset(experimentWith({ source: 'builtin:names', contextLength: 12 }), '.');
  assert.deepEqual(dataset.classes, ['female', 'male']);
  assert.deepEqual(dataset.inputShape, [12]);
  assert.equal(dataset.vocab!.tokens[0], '', 'id 0 is padding');
  const [batch] = allBatches(dataset, 'test', 1);
  const ids = Array.from(batch.x as BigInt64Array, Number);
  const name = dataset.vocab!.decode(ids);
  assert.ok(/^[a-z-]+$/.test(name), name);
  assert.deepEqual(ids.slice(0, 12 - name.length), new Array(12 - name.length).fill(0));
  assert.equal(dataset.sizes.train + dataset.sizes.validation + dataset.sizes.test, 8003);
});

test('CSV: features normalised with training statistics only, class labels in numeric order', async () => {
  const rows = [
    'a,b,label',
    ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? 'x' : 2 * i},${i % 2 ? 10 : 2}`),
  ];
  rows.forEach((row, i) => (rows[i] = row.replace('x', String(5 * i))));
  const dir = scratchFolder({ 'table.csv': rows.join('\n') + '\n' });
  const dataset = await loadDataset(experimentWith({ source: 'table.csv', target: 'label' }), dir);
  assert.deepEqual(dataset.classes, ['2', '10']);
  assert.deepEqual(dataset.inputShape, [2]);
  const train = allBatches(dataset, 'train', dataset.sizes.train)[0].x as Float32Array;
  const column0 = Array.from({ length: dataset.sizes.train }, (_, i) => train[i * 2]);
  const mean = column0.reduce((a, b) => a + b, 0) / column0.length;
  const variance = column0.reduce((a, b) => a + (b - mean) ** 2, 0) / column0.length;
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-4, `mean ${mean}, variance ${variance}`);
});

test('CSV: a ragged row is an error naming the file and row', async () => {
  const dir = scratchFolder({ 'bad.csv': 'a,b,y\n1,2,0\n3,4\n5,6,1\n' });
  const error = await dataError(loadDataset(experimentWith({ source: 'bad.csv' }), dir));
  assert.equal(error.file, join(dir, 'bad.csv'));
  assert.equal(error.line, 3);
  assert.match(error.message, /2 cells, expected 3/);
  assert.equal(error.format(), `${join(dir, 'bad.csv')}:3: ${error.message}`);
});

test('CSV: a non-numeric feature cell is an error naming column and row', async () => {
  const dir = scratchFolder({ 'bad.csv': 'a,b,y\n1,2,0\n3,four,1\n' });
  const error = await dataError(loadDataset(experimentWith({ source: 'bad.csv' }), dir));
  assert.equal(error.line, 3);
  assert.match(error.message, /column "b" holds "four", not a number/);
});

test('an empty text file and a missing file are clear errors', async () => {
  const dir = scratchFolder({ 'empty.txt': '' });
  const empty = await dataError(
    loadDataset(experimentWith({ source: 'empty.txt' }, { task: 'language-model' }), dir),
  );
  assert.match(empty.message, /empty/);
  assert.equal(empty.file, join(dir, 'empty.txt'));
  const missing = await dataError(loadDataset(experimentWith({ source: 'nope.csv' }), dir));
  assert.match(missing.message, /does not exist/);
  const unknown = await dataError(loadDataset(experimentWith({ source: 'builtin:mnist-huge' }), dir));
  assert.match(unknown.message, /unknown built-in dataset "builtin:mnist-huge"; built-ins: builtin:digits/);
});

test('image folder: classes from subfolders, PNGs resized and converted to grayscale', async () => {
  const dir = scratchFolder();
  const png = (gray: number) => {
    const image = new PNG({ width: 4, height: 4 });
    image.data.fill(gray);
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    return PNG.sync.write(image);
  };
  for (const [name, gray] of [
    ['dark', 0],
    ['light', 255],
  ] as const) {
    mkdirSync(join(dir, 'images', name), { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'images', name, `${i}.png`), png(gray));
  }
  const experiment = experimentWith({
    source: 'images',
    imageSize: [2, 2],
    splits: { train: 1, validation: 0, test: 0 },
  });
  experiment.model.input.shape = [1, 2, 2];
  const dataset = await loadDataset(experiment, dir);
  assert.deepEqual(dataset.classes, ['dark', 'light']);
  const [batch] = allBatches(dataset, 'train', 10);
  const x = batch.x as Float32Array;
  const y = Array.from(batch.y as BigInt64Array, Number);
  y.forEach((label, i) =>
    assert.ok(Math.abs(x[i * 4] - label) < 1e-6, `example ${i}: label ${label}, pixel ${x[i * 4]}`),
  );

  writeFileSync(join(dir, 'images', 'dark', 'broken.png'), 'not a png');
  const error = await dataError(loadDataset(experiment, dir));
  assert.equal(error.file, join(dir, 'images', 'dark', 'broken.png'));
});

test('image folder: JPEG and PNG side by side, any extension case, system files skipped', async () => {
  const dir = scratchFolder();
  // A 64×48 photo-sized JPEG per example, flat colour, brought down to the model's 3×8×8.
  const jpg = (rgb: [number, number, number]) => {
    const [width, height] = [64, 48];
    const data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
    return jpeg.encode({ width, height, data }, 95).data;
  };
  const png = (rgb: [number, number, number]) => {
    const image = new PNG({ width: 10, height: 10 });
    for (let i = 0; i < 100; i++) image.data.set([...rgb, 255], i * 4);
    return PNG.sync.write(image);
  };
  const colours = { blue: [20, 40, 220], red: [230, 30, 20] } as const;
  for (const [name, rgb] of Object.entries(colours)) {
    const folder = join(dir, 'photos', name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'a.jpg'), jpg([...rgb]));
    writeFileSync(join(folder, 'b.JPEG'), jpg([...rgb]));
    writeFileSync(join(folder, 'c.png'), png([...rgb]));
    writeFileSync(join(folder, 'Thumbs.db'), 'not an image');
    writeFileSync(join(folder, '.DS_Store'), 'not an image');
  }
  const experiment = experimentWith({ source: 'photos', splits: { train: 1, validation: 0, test: 0 } });
  experiment.model.input.shape = [3, 8, 8];
  const dataset = await loadDataset(experiment, dir);
  assert.deepEqual(dataset.classes, ['blue', 'red']);
  assert.deepEqual(dataset.inputShape, [3, 8, 8]);
  assert.equal(dataset.sizes.train, 6);
  const [batch] = allBatches(dataset, 'train', 6);
  const x = batch.x as Float32Array;
  Array.from(batch.y as BigInt64Array, Number).forEach((label, i) => {
    const rgb = Object.values(colours)[label];
    for (let c = 0; c < 3; c++) {
      const pixel = x[i * 192 + c * 64 + 27];
      // JPEG's lossy coding moves a flat colour by a few levels.
      assert.ok(
        Math.abs(pixel - rgb[c] / 255) < 6 / 255,
        `example ${i} channel ${c}: ${pixel * 255}, not ${rgb[c]}`,
      );
    }
  });

  writeFileSync(join(dir, 'photos', 'red', 'd.jpg'), 'not a jpeg');
  const broken = await dataError(loadDataset(experiment, dir));
  assert.equal(broken.file, join(dir, 'photos', 'red', 'd.jpg'));
  assert.match(broken.message, /not a readable image/);

  writeFileSync(join(dir, 'photos', 'red', 'd.jpg'), jpg([230, 30, 20]));
  writeFileSync(join(dir, 'photos', 'red', 'e.gif'), 'GIF89a');
  const gif = await dataError(loadDataset(experiment, dir));
  assert.equal(gif.file, join(dir, 'photos', 'red', 'e.gif'));
  assert.match(gif.message, /only PNG and JPEG images are supported/);
});
