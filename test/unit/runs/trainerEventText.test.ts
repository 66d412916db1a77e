import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TrainerEvent } from '../../../src/protocol/training';
import { describeEvent, trackProgress, type RunProgress } from '../../../src/runs/trainerEventText';

const device = { requested: 'auto', chosen: 'cpu', message: 'no GPU found' } as const;
const started: TrainerEvent = {
  type: 'started',
  device,
  parameterCount: 1234,
  epochs: 3,
  stepsPerEpoch: 10,
  totalSteps: 30,
  startStep: 10,
  batchSize: 8,
};

test('each event that is news reads as one line; data events add none', () => {
  assert.equal(
    describeEvent(started),
    'Training on cpu (no GPU found); 1234 parameters, 3 epochs × 10 steps of batch 8, 30 steps in all, resuming at step 10.',
  );
  assert.equal(
    describeEvent({ type: 'log', level: 'info', message: 'Loaded 150 rows.' }),
    'Loaded 150 rows.',
  );
  assert.equal(
    describeEvent({ type: 'log', level: 'warning', message: 'tiny split' }),
    'WARNING: tiny split',
  );
  assert.equal(
    describeEvent({ type: 'checkpoint', kind: 'best', step: 20, dir: '/r/c' }),
    'Saved the best checkpoint at step 20.',
  );
  assert.equal(describeEvent({ type: 'failed', error: 'out of memory' }), 'ERROR: out of memory');
  assert.equal(describeEvent({ type: 'metrics', records: [] }), undefined);
});

test('progress: totals and device at the start, then step, epoch, loss and speed from train records only', () => {
  const progress: RunProgress = { step: 0, epoch: 0 };
  trackProgress(progress, started);
  assert.deepEqual(
    { ...progress },
    {
      step: 10,
      epoch: 1,
      totalSteps: 30,
      epochs: 3,
      device,
    },
  );
  const at = { epoch: 1.5, time: 2 };
  trackProgress(progress, {
    type: 'metrics',
    records: [
      { ...at, step: 15, split: 'train', name: 'loss', value: 0.5 },
      { ...at, step: 15, split: 'train', name: 'samples_per_sec', value: 900 },
      { ...at, step: 15, split: 'validation', name: 'loss', value: 9 },
    ],
  });
  assert.equal(progress.step, 15);
  assert.equal(progress.epoch, 1.5);
  assert.equal(progress.loss, 0.5, 'the validation loss does not replace the training loss');
  assert.equal(progress.samplesPerSec, 900);
});
