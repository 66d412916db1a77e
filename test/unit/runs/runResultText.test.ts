import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { EvalReport } from '../../../src/contract/evalReport';
import { describeResult, trackResult, type RunResult } from '../../../src/runs/runResultText';

const report = (fields: Partial<EvalReport>): EvalReport => ({
  split: 'test',
  count: 100,
  loss: 0.123456,
  ...fields,
});

test('a completed run is announced with its test score and the step of its best checkpoint', () => {
  const result: RunResult = {};
  trackResult(result, { type: 'checkpoint', kind: 'best', step: 300, dir: '/r/checkpoints/best' });
  trackResult(result, { type: 'checkpoint', kind: 'last', step: 800, dir: '/r/checkpoints/last' });
  trackResult(result, { type: 'checkpoint', kind: 'best', step: 700, dir: '/r/checkpoints/best' });
  assert.equal(describeResult('digits-cnn', result), undefined, 'no result before the test report');
  trackResult(result, { type: 'eval', report: report({ accuracy: 0.9812 }) });
  assert.equal(
    describeResult('digits-cnn', result),
    'digits-cnn finished: test accuracy 98.1 % (best at step 700)',
  );
});

test('each task reports its own headline score; without validation there is no best step', () => {
  const said = (fields: Partial<EvalReport>) => describeResult('x', { evaluation: report(fields) });
  assert.equal(said({ rmse: 0.21349, mae: 0.1 }), 'x finished: test RMSE 0.213');
  assert.equal(said({ perplexity: 5.3141 }), 'x finished: test perplexity 5.31');
  assert.equal(said({}), 'x finished: test loss 0.1235');
});
