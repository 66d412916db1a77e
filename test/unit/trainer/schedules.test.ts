import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { learningRateAt } from '../../../src/trainer/schedules';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('constant keeps the base rate', () => {
  for (const step of [0, 50, 99]) assert.equal(learningRateAt(0.1, undefined, step, 100), 0.1);
});

test('step multiplies by gamma every stepSize steps', () => {
  const schedule = { type: 'step' as const, stepSize: 10, gamma: 0.5 };
  close(learningRateAt(0.1, schedule, 9, 100), 0.1);
  close(learningRateAt(0.1, schedule, 10, 100), 0.05);
  close(learningRateAt(0.1, schedule, 25, 100), 0.025);
});

test('cosine falls from the base rate to the floor along half a cosine', () => {
  const schedule = { type: 'cosine' as const, minFactor: 0.1 };
  close(learningRateAt(1, schedule, 0, 100), 1);
  close(learningRateAt(1, schedule, 50, 100), 0.1 + 0.9 * 0.5);
  close(learningRateAt(1, schedule, 100, 100), 0.1);
});

test('warmup-cosine rises linearly, peaks at the base rate, then decays by cosine', () => {
  const schedule = { type: 'warmup-cosine' as const, warmupSteps: 10 };
  close(learningRateAt(1, schedule, 0, 110), 0.1);
  close(learningRateAt(1, schedule, 4, 110), 0.5);
  close(learningRateAt(1, schedule, 10, 110), 1);
  close(learningRateAt(1, schedule, 60, 110), 0.5);
  close(learningRateAt(1, schedule, 110, 110), 0);
});

test('warmup-cosine without warmupSteps warms up over 5 % of the run', () => {
  const schedule = { type: 'warmup-cosine' as const };
  close(learningRateAt(1, schedule, 0, 200), 0.1);
  close(learningRateAt(1, schedule, 9, 200), 1);
});
