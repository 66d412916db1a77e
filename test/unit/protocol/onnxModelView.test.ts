import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type CompatibilityReport, isCompatibilityReport } from '../../../src/contract/onnxModel';
import { readOnnxModel } from '../../../src/engine/onnx';
import { summarizeOnnxModel } from '../../../src/engine/onnx/modelSummary';
import { isOnnxCheckReply, isOnnxCheckRequest } from '../../../src/protocol/onnxCheck';
import { isOnnxEvaluateReply, isOnnxEvaluateRequest } from '../../../src/protocol/onnxEvaluate';
import { isOnnxModelFromWebview, isOnnxModelToWebview } from '../../../src/protocol/onnxModelView';
import { modelPath } from '../engine/onnxFixtures';

const summary = summarizeOnnxModel(readOnnxModel(readFileSync(modelPath('lstm'))));
const report: CompatibilityReport = {
  verdict: 'trainable',
  opset: 14,
  producer: 'pytorch 1.13.0',
  ops: [{ opType: 'LSTM', supported: true, nodes: ['/lstm/LSTM'] }],
  problems: [],
  input: 'input',
  output: 'output',
  parameters: 443,
  forwardDifference: 1e-7,
  gradientChecks: [{ parameter: 'fc.weight', relativeError: 1e-4 }],
};

test('the model and the check report reach the view; a damaged one does not', () => {
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/show', file: 'm.onnx', summary }), true);
  for (const key of Object.keys(summary)) {
    if (key === 'importProblem') continue;
    const missing: Record<string, unknown> = { ...summary };
    delete missing[key];
    assert.equal(
      isOnnxModelToWebview({ type: 'onnxModel/show', file: 'm.onnx', summary: missing }),
      false,
      key,
    );
  }
  const badLayer = { ...summary, layers: [{ name: 'x', opType: 'Conv', initializers: [1] }] };
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/show', file: 'm.onnx', summary: badLayer }), false);
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/show', summary }), false);
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/checked', report }), true);
  assert.equal(
    isOnnxModelToWebview({ type: 'onnxModel/checked', report: { ...report, verdict: 'maybe' } }),
    false,
  );
  assert.equal(
    isOnnxModelToWebview({ type: 'onnxModel/unreadable', file: 'm.onnx', message: 'corrupt' }),
    true,
  );
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/checkFailed' }), false);
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/other' }), false);
});

test('figures that were NaN or Infinity cross the IPC pipe as null and are still a report', () => {
  const broken = {
    ...report,
    forwardDifference: NaN,
    gradientChecks: [{ parameter: 'w', relativeError: Infinity }],
  };
  const carried: unknown = JSON.parse(JSON.stringify({ type: 'onnxCheck/report', report: broken }));
  assert.equal(isOnnxCheckReply(carried), true);
  assert.equal(isCompatibilityReport({ ...report, forwardDifference: '1e-7' }), false);
  const unconfirmed = { parameter: 'w', relativeError: 0.08, inconclusive: true };
  assert.equal(isCompatibilityReport({ ...report, gradientChecks: [unconfirmed] }), true);
  assert.equal(
    isCompatibilityReport({ ...report, gradientChecks: [{ ...unconfirmed, inconclusive: 'yes' }] }),
    false,
  );
});

test('the training process is asked about one path; it answers a report or a failure', () => {
  assert.equal(isOnnxCheckRequest({ type: 'onnxCheck/run', path: '/w/m.onnx' }), true);
  assert.equal(isOnnxCheckRequest({ type: 'onnxCheck/run' }), false);
  assert.equal(isOnnxCheckReply({ type: 'onnxCheck/failure', message: 'not ONNX' }), true);
  assert.equal(isOnnxCheckReply({ type: 'onnxCheck/report', report: { ...report, problems: [3] } }), false);
});

test('an evaluation names its data; its scores are numbers (null for NaN) of a known task', () => {
  const evaluation = { task: 'classification', count: 96, values: { loss: 1.1, accuracy: 0.5 } };
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/evaluated', data: 'd.csv', evaluation }), true);
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/evaluated', evaluation }), false);
  assert.equal(
    isOnnxModelToWebview({
      type: 'onnxModel/evaluated',
      data: 'd.csv',
      evaluation: { ...evaluation, task: 'x' },
    }),
    false,
  );
  assert.equal(
    isOnnxEvaluateReply({ type: 'onnxEvaluate/report', report: { ...evaluation, values: { loss: null } } }),
    true,
  );
  assert.equal(
    isOnnxEvaluateReply({ type: 'onnxEvaluate/report', report: { ...evaluation, values: { loss: '1' } } }),
    false,
  );
  assert.equal(isOnnxModelToWebview({ type: 'onnxModel/evaluating', data: 'd.csv' }), true);
  assert.equal(
    isOnnxModelToWebview({ type: 'onnxModel/evaluateFailed', data: 'd.csv', message: 'no' }),
    true,
  );
  assert.equal(isOnnxEvaluateRequest({ type: 'onnxEvaluate/run', model: '/m.onnx', data: '/d.csv' }), true);
  assert.equal(isOnnxEvaluateRequest({ type: 'onnxEvaluate/run', model: '/m.onnx' }), false);
  const sized = (sizes: unknown) => ({ type: 'onnxEvaluate/run', model: '/m.onnx', data: '/d.txt', sizes });
  assert.equal(isOnnxEvaluateRequest(sized({ sequence: 64 })), true);
  assert.equal(isOnnxEvaluateRequest(sized({ sequence: 0 })), false);
  assert.equal(isOnnxEvaluateRequest(sized({ sequence: 2.5 })), false);
  assert.equal(isOnnxEvaluateRequest(sized({ sequence: '64' })), false);
  assert.equal(isOnnxEvaluateRequest(sized([64])), false);
});

test('the view may only say ready, Check, Evaluate or Fine-tune', () => {
  assert.equal(isOnnxModelFromWebview({ type: 'ready' }), true);
  assert.equal(isOnnxModelFromWebview({ type: 'onnxModel/evaluate' }), true);
  assert.equal(isOnnxModelFromWebview({ type: 'onnxModel/check' }), true);
  assert.equal(isOnnxModelFromWebview({ type: 'onnxModel/fineTune' }), true);
  assert.equal(isOnnxModelFromWebview({ type: 'onnxModel/show', file: 'x', summary }), false);
  assert.equal(isOnnxModelFromWebview('onnxModel/check'), false);
});
