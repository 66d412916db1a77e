/**
 * An image folder is read on several threads when it is large enough (imageReaders.ts): the
 * training data must be the same bytes however many threads read it, progress must count every
 * image once, and a bad file must be reported as the first bad one in folder order, as one thread
 * reading in order would.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageJob, type ImageShape } from '../../../src/data/imageJob';
import { readerThreads, readImages } from '../../../src/data/imageReaders';
import { dataError, scratchFolder } from './fixtures';

const SHAPE: ImageShape = [3, 8, 6];
const SIZE = 3 * 8 * 6;

/** `count` images of different sizes, colours and formats (every third a JPEG). */
function images(count: number): string[] {
  const dir = scratchFolder();
  return Array.from({ length: count }, (_, i) => {
    const width = 9 + (i % 7);
    const height = 11 + (i % 5);
    const data = Buffer.alloc(width * height * 4);
    for (let p = 0; p < width * height; p++)
      data.set([(i * 37 + p) % 256, (p * 3) % 256, (i * 11) % 256, 255], p * 4);
    const jpegFile = i % 3 === 0;
    const path = join(dir, `${String(i).padStart(4, '0')}.${jpegFile ? 'jpg' : 'png'}`);
    writeFileSync(
      path,
      jpegFile
        ? jpeg.encode({ width, height, data }, 90).data
        : PNG.sync.write(Object.assign(new PNG({ width, height }), { data })),
    );
    return path;
  });
}

test('reader threads: as many as the images repay, within the budget', () => {
  assert.equal(readerThreads(10, 8), 1);
  assert.equal(readerThreads(100, 8), 2);
  assert.equal(readerThreads(5000, 8), 8);
  assert.equal(readerThreads(5000, 1), 1);
});

test('images read on three threads are the bytes one thread reads, each in its place, progress counting each once', async () => {
  const paths = images(150);
  assert.equal(readerThreads(paths.length, 3), 3, 'the folder is large enough for three threads');
  const progress: number[] = [];
  const threaded = await readImages(paths, SHAPE, {
    threads: 3,
    reading: (done, total) => progress.push(done / total),
  });
  const single = await readImages(paths, SHAPE, { threads: 1 });
  assert.equal(threaded.length, paths.length * SIZE);
  assert.deepEqual(threaded, single);
  assert.deepEqual(
    progress,
    Array.from({ length: paths.length + 1 }, (_, i) => i / paths.length),
  );
  // In its place: image 97's bytes at example 97, as reading it alone gives them.
  const alone = await readImageJob({ index: 97, path: paths[97], shape: SHAPE });
  assert.ok('pixels' in alone);
  assert.deepEqual(threaded.subarray(97 * SIZE, 98 * SIZE), alone.pixels);
  assert.ok(threaded.subarray(97 * SIZE, 98 * SIZE).some((v) => v !== 0));
});

test('a bad image is the first bad file in folder order, named, however many threads read', async () => {
  const paths = images(150);
  // Neighbours are read at once on different threads, so the later one may fail first.
  for (const bad of [120, 62, 61]) writeFileSync(paths[bad], 'not an image');
  for (const threads of [1, 3]) {
    const error = await dataError(readImages(paths, SHAPE, { threads }));
    assert.equal(error.file, paths[61], `${threads} thread(s)`);
    assert.match(error.message, /^not a readable image \(/);
  }
});

test('an image gone between listing and reading is named, with why it could not be read', async () => {
  const paths = images(100);
  rmSync(paths[80]);
  for (const threads of [1, 2]) {
    const error = await dataError(readImages(paths, SHAPE, { threads }));
    assert.equal(error.file, paths[80]);
    assert.match(error.message, /^the image could not be read \(ENOENT/);
  }
});
