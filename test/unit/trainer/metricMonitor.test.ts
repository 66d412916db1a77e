import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { defaultMode, MetricMonitor, monitoredMetricName } from '../../../src/trainer/metricMonitor';

test('early stopping fires after `patience` validations without improvement, and improvement resets it', () => {
  const monitor = new MetricMonitor('min', 2);
  assert.deepEqual(monitor.observe(1.0, 10), { improved: true, shouldStop: false });
  assert.deepEqual(monitor.observe(1.1, 20), { improved: false, shouldStop: false });
  assert.deepEqual(monitor.observe(0.9, 30), { improved: true, shouldStop: false });
  assert.deepEqual(monitor.observe(0.9, 40), { improved: false, shouldStop: false });
  assert.deepEqual(monitor.observe(0.95, 50), { improved: false, shouldStop: true });
  assert.deepEqual(monitor.state.best, { value: 0.9, step: 30 });
});

test('max mode counts larger values as improvements; no patience never stops', () => {
  const monitor = new MetricMonitor('max', undefined);
  assert.equal(monitor.observe(0.5, 1).improved, true);
  assert.equal(monitor.observe(0.7, 2).improved, true);
  for (let step = 3; step < 20; step++) assert.equal(monitor.observe(0.1, step).shouldStop, false);
});

test('a restored monitor continues counting from the checkpoint', () => {
  const monitor = new MetricMonitor('min', 2);
  monitor.restore({ best: { value: 0.5, step: 10 }, validationsWithoutImprovement: 1 });
  assert.deepEqual(monitor.observe(0.6, 20), { improved: false, shouldStop: true });
});

test('metric names: split prefixes are optional, accuracy, f1 and r2 grow, the rest shrink', () => {
  assert.equal(monitoredMetricName('validation/accuracy'), 'accuracy');
  assert.equal(monitoredMetricName('loss'), 'loss');
  assert.equal(defaultMode('accuracy'), 'max');
  assert.equal(defaultMode('f1'), 'max');
  assert.equal(defaultMode('loss'), 'min');
  assert.equal(defaultMode('mae'), 'min');
  assert.equal(defaultMode('rmse'), 'min');
  assert.equal(defaultMode('r2'), 'max');
});
