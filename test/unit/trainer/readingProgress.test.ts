/**
 * Decoding an image folder before training reports its progress: the training process sends its
 * start and end, and in between at most four events a second; the run's log says when reading
 * began and ended.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import type { DataReading, TrainerEvent } from '../../../src/protocol/training';
import { describeEvent } from '../../../src/runs/trainerEventText';
import { readingEvents } from '../../../src/trainer/readingProgress';
import { runTraining } from '../../../src/trainer/trainer';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { quickTraining } from '../../fixtures/experimentParts';
import { experimentWith, scratchFolder } from '../data/fixtures';

test('reading events: the first and last always, those between at most every 250 ms', () => {
  const sent: DataReading[] = [];
  let clock = 1000;
  const reading = readingEvents(
    (event) => sent.push(event),
    () => clock,
  );
  reading(0, 10);
  for (let done = 1; done <= 10; done++) {
    clock += 100;
    reading(done, 10);
  }
  assert.deepEqual(
    sent.map((e) => e.done),
    [0, 3, 6, 9, 10],
  );
  assert.ok(sent.every((e) => e.type === 'reading' && e.total === 10));
  assert.equal(describeEvent(sent[0]), 'Reading the 10 images of the data…');
  assert.equal(describeEvent(sent[1]), undefined);
  assert.equal(describeEvent(sent[4]), 'Read the 10 images.');
});

test('a run over an image folder reports reading its images before it starts training', async () => {
  const dir = scratchFolder();
  for (const name of ['dark', 'light']) {
    mkdirSync(join(dir, 'images', name), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const image = new PNG({ width: 4, height: 4 });
      image.data.fill(name === 'dark' ? 20 + i : 220 - i);
      writeFileSync(join(dir, 'images', name, `${i}.png`), PNG.sync.write(image));
    }
  }
  const experiment = experimentWith(
    { source: 'images', splits: { train: 0.5, validation: 0.25, test: 0.25 } },
    {
      model: { input: { shape: [1, 4, 4] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }] },
      training: quickTraining({ batchSize: 2, stepsPerEpoch: 2 }),
    },
  );
  const events: TrainerEvent[] = [];
  const outcome = await runTraining(
    {
      type: 'start',
      experimentFile: join(dir, 'images.experiment.json'),
      experiment,
      runDir: join(dir, 'run'),
      device: 'cpu',
    },
    createTrainerDeps(),
    { emit: (event) => events.push(event), stopRequested: () => false },
  );
  assert.equal(outcome.type, 'finished');
  const reading = events.filter((e): e is DataReading => e.type === 'reading');
  assert.deepEqual(reading[0], { type: 'reading', done: 0, total: 12 });
  assert.deepEqual(reading.at(-1), { type: 'reading', done: 12, total: 12 });
  const started = events.findIndex((e) => e.type === 'started');
  assert.ok(started > events.lastIndexOf(reading.at(-1)!), 'every image is read before training starts');
});
