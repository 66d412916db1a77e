import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatEta, formatProgress, formatSummary } from '../../../src/extension/runs/runSummary';
import { mayTrain, manageTrustAction, untrustedMessage } from '../../../src/extension/runs/trustGate';
import type { RunInfo } from '../../../src/runs/runFiles';
import { runInfoFixture } from '../../fixtures/runInfo';
import { etaSeconds, trackProgress, type RunProgress } from '../../../src/runs/trainerEventText';

const info = (patch: Partial<RunInfo>): RunInfo => ({
  ...runInfoFixture(),
  id: '20261129-015203',
  status: 'completed',
  startedAt: '2026-11-29T01:52:03Z',
  ...patch,
});

test('the Runs view describes a run by status, its two headline metrics and steps', () => {
  const summary = { 'train/loss': 0.0446, 'validation/loss': 0.1071, 'test/accuracy': 0.96154 };
  assert.equal(
    formatSummary(info({ summary, step: 420 })),
    'completed · test acc 0.962 · val loss 0.107 · 420 steps',
  );
  assert.equal(formatSummary(info({ status: 'failed' })), 'failed');
});

test('the status bar shows experiment, epoch, step, loss and device; the notification leaves out the name its title has', () => {
  const device = { requested: 'auto' as const, chosen: 'cpu' as const, message: '' };
  const progress = { step: 140, totalSteps: 420, epoch: 2.5, epochs: 60, loss: 0.04461, device };
  assert.equal(
    formatProgress(progress, 'wine-mlp'),
    'wine-mlp · epoch 3/60 · step 140/420 · loss 0.0446 · cpu',
  );
  assert.equal(formatProgress(progress), 'epoch 3/60 · step 140/420 · loss 0.0446 · cpu');
  assert.equal(formatProgress({ step: 0, epoch: 0 }, 'wine-mlp'), 'wine-mlp · step 0');
});

test('before training starts, the progress counts the images read; the steps take over once it starts', () => {
  const progress: RunProgress = { step: 0, epoch: 0 };
  trackProgress(progress, { type: 'reading', done: 0, total: 2000 });
  trackProgress(progress, { type: 'reading', done: 431, total: 2000 });
  assert.equal(formatProgress(progress, 'photos'), 'photos · reading images 431/2000');
  trackProgress(progress, {
    type: 'started',
    device: { requested: 'cpu', chosen: 'cpu', message: '' },
    parameterCount: 10,
    epochs: 1,
    stepsPerEpoch: 100,
    totalSteps: 100,
    startStep: 0,
    batchSize: 16,
  });
  assert.equal(formatProgress(progress, 'photos'), 'photos · epoch 1/1 · step 0/100 · cpu');
});

test('the ETA is the steps left at the pace of the steps seen so far', () => {
  const progress: RunProgress = { step: 0, epoch: 0 };
  trackProgress(progress, {
    type: 'started',
    device: { requested: 'cpu', chosen: 'cpu', message: '' },
    parameterCount: 10,
    epochs: 2,
    stepsPerEpoch: 100,
    totalSteps: 200,
    startStep: 0,
    batchSize: 8,
  });
  const trainLoss = (step: number, time: number) => ({
    step,
    epoch: 0,
    time,
    split: 'train' as const,
    name: 'loss',
    value: 1,
  });
  trackProgress(progress, { type: 'metrics', records: [trainLoss(1, 10)] });
  assert.equal(etaSeconds(progress), undefined, 'one step gives no pace yet');
  // 50 steps in 25 s: 0.5 s a step, 149 steps left.
  trackProgress(progress, { type: 'metrics', records: [trainLoss(51, 35)] });
  assert.equal(etaSeconds(progress), 74.5);
  assert.equal(
    formatProgress(progress, 'wine-mlp'),
    'wine-mlp · epoch 1/2 · step 51/200 · loss 1 · ETA 1m 15s · cpu',
  );
  // The metrics panel's header shows the same words.
  assert.equal(formatEta(progress), 'ETA 1m 15s');
  assert.equal(formatEta({ ...progress, step: 200 }), undefined, 'no ETA once the last step is done');
  assert.equal(formatEta({ step: 0, epoch: 0 }), undefined, 'no ETA before the pace is known');
});

test('training in an untrusted workspace is refused with an explanation and a way to trust it', async () => {
  const shown: string[] = [];
  let trustDialogs = 0;
  const ui = (isTrusted: boolean, answer: string | undefined) => ({
    isTrusted,
    showWarning: async (message: string, action: string) => {
      shown.push(`${message} [${action}]`);
      return answer;
    },
    manageTrust: async () => trustDialogs++,
  });
  assert.equal(await mayTrain(ui(false, undefined)), false);
  assert.deepEqual(shown, [`${untrustedMessage()} [${manageTrustAction()}]`]);
  assert.equal(trustDialogs, 0);
  assert.equal(await mayTrain(ui(false, manageTrustAction())), false);
  assert.equal(trustDialogs, 1);
  assert.equal(await mayTrain(ui(true, undefined)), true);
  assert.equal(shown.length, 2);
});
