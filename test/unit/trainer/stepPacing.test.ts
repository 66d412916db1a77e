import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { stepPaceFrom, STEP_PACE_VARIABLE } from '../../../src/trainer/stepPacing';

test('without the variable nothing is paced', () => {
  assert.equal(stepPaceFrom({}), undefined);
  assert.equal(stepPaceFrom({ [STEP_PACE_VARIABLE]: '' }), undefined);
});

test('a pace of 20 ms makes a chunk of 3 steps wait at least 60 ms', async () => {
  const pace = stepPaceFrom({ [STEP_PACE_VARIABLE]: '20' });
  assert.ok(pace);
  const started = performance.now();
  await pace(3);
  // Timers never fire early (a loaded machine only makes the wait longer); allow 1 ms of timer rounding.
  assert.ok(performance.now() - started >= 59, `waited ${performance.now() - started} ms`);
});

test('a pace that is not a positive number is refused, naming the variable and the value', () => {
  for (const value of ['fast', '0', '-5', 'Infinity']) {
    assert.throws(
      () => stepPaceFrom({ [STEP_PACE_VARIABLE]: value }),
      new Error(
        `MODEL_LAB_TEST_STEP_PACE_MS must be a positive number of milliseconds per step, not "${value}".`,
      ),
    );
  }
});
