import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { throttle } from '../../../src/contract/throttle';

test('throttle: the first change shows at once, a burst collapses into one trailing update', async () => {
  let calls = 0;
  const update = throttle(() => calls++, 30);
  update();
  assert.equal(calls, 1, 'an idle throttle updates at once');
  for (let i = 0; i < 100; i++) update();
  assert.equal(calls, 1, 'changes within the interval wait');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 2, 'the burst ends in exactly one more update, with the latest state');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 2, 'nothing more without new changes');
  update();
  update.dispose();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 3, 'after dispose no trailing update runs');
});
