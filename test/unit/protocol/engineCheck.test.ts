import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  type EngineCheckReport,
  isEngineCheckReply,
  isEngineCheckReport,
} from '../../../src/protocol/engineCheck';
import { isEngineCheckFromWebview, isEngineCheckToWebview } from '../../../src/protocol/engineCheckPanel';

const report: EngineCheckReport = {
  ortVersion: '1.30.0',
  nodeVersion: '20.19.0',
  device: 'cpu',
  graph: 'Y = MatMul(A, B) + C',
  inputs: { A: { dims: [1], data: [1] } },
  output: { dims: [1], data: [2] },
  expected: { dims: [1], data: [2] },
  maxAbsError: 0,
};

test('a complete report passes the guard', () => {
  assert.equal(isEngineCheckReport(report), true);
  assert.equal(isEngineCheckReply({ type: 'engineCheck/report', report }), true);
  assert.equal(isEngineCheckToWebview({ type: 'engineCheck/show', report }), true);
});

test('a report missing or mistyping any field is rejected', () => {
  for (const key of Object.keys(report)) {
    const missing: Record<string, unknown> = { ...report };
    delete missing[key];
    assert.equal(isEngineCheckReport(missing), false, `without ${key}`);
  }
  assert.equal(isEngineCheckReport({ ...report, output: { dims: [1], data: ['2'] } }), false);
  assert.equal(isEngineCheckReport({ ...report, device: 'gpu' }), false);
  assert.equal(isEngineCheckReport({ ...report, maxAbsError: Number.NaN }), false);
  assert.equal(isEngineCheckReport({ ...report, inputs: { A: { dims: [1] } } }), false);
  assert.equal(isEngineCheckReply({ type: 'engineCheck/report', report: { ...report, graph: 1 } }), false);
});

test('failure messages need a text; unknown types are rejected', () => {
  assert.equal(isEngineCheckReply({ type: 'engineCheck/failure', message: 'no binding' }), true);
  assert.equal(isEngineCheckReply({ type: 'engineCheck/failure' }), false);
  assert.equal(isEngineCheckReply({ type: 'engineCheck/other' }), false);
  assert.equal(isEngineCheckToWebview({ type: 'engineCheck/failed', message: 42 }), false);
  assert.equal(isEngineCheckToWebview({ type: 'engineCheck/running' }), true);
});

test('the webview may only say ready or ask for a rerun', () => {
  assert.equal(isEngineCheckFromWebview({ type: 'ready' }), true);
  assert.equal(isEngineCheckFromWebview({ type: 'engineCheck/rerun' }), true);
  assert.equal(isEngineCheckFromWebview({ type: 'engineCheck/show', report }), false);
  assert.equal(isEngineCheckFromWebview(undefined), false);
});
