import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TrainerEvent } from '../../../src/protocol/training';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import { coalesceMetrics } from '../../../src/trainer/coalesceMetrics';

const loss = (step: number): MetricRecord => ({
  step,
  epoch: 0,
  time: step,
  split: 'train',
  name: 'loss',
  value: 1 / step,
});

test('metrics within an interval reach the host as one message, in order', async () => {
  const sent: TrainerEvent[] = [];
  const emit = coalesceMetrics((event) => sent.push(event), 20);
  for (let step = 1; step <= 50; step++) emit({ type: 'metrics', records: [loss(step)] });
  assert.equal(sent.length, 0, 'nothing is sent before the interval ends');
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(sent.length, 1);
  const [batch] = sent;
  assert.ok(batch.type === 'metrics');
  assert.deepEqual(
    batch.records.map((r) => r.step),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
});

test('any other event first flushes the pending metrics, so the host sees events in order', () => {
  const sent: TrainerEvent[] = [];
  const emit = coalesceMetrics((event) => sent.push(event), 10_000);
  emit({ type: 'metrics', records: [loss(1), loss(2)] });
  emit({ type: 'log', level: 'info', message: 'validation' });
  emit({ type: 'metrics', records: [loss(3)] });
  emit({ type: 'finished', status: 'completed', reason: 'done', step: 3, epoch: 1 });
  assert.deepEqual(
    sent.map((e) => (e.type === 'metrics' ? `metrics ${e.records.map((r) => r.step).join(',')}` : e.type)),
    ['metrics 1,2', 'log', 'metrics 3', 'finished'],
  );
});
