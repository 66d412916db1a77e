import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { type EngineCheckReply, isEngineCheckReply } from '../../../src/protocol/engineCheck';
import { referenceOutput, runEngineCheck } from '../../../src/trainer/engineCheck';
import { handleEngineCheckMessage } from '../../../src/trainer/engineCheckHandler';

test('the JavaScript reference computes A·B + C (checked by hand)', () => {
  // Row 0: [1,2,3]·[0.5,2,-1.5] = 0, [1,2,3]·[-1,0.25,3] = 8.5; row 1: 3, 15.25; plus C = [0.125, -2].
  assert.deepEqual(referenceOutput(), { dims: [2, 2], data: [0.125, 6.5, 3.125, 13.25] });
});

test('onnxruntime-node runs the serialized graph and agrees with the reference', async () => {
  const report = await runEngineCheck();
  assert.deepEqual(report.output, referenceOutput());
  assert.equal(report.maxAbsError, 0);
  assert.equal(report.device, 'cpu');
  assert.match(report.ortVersion, /^1\.30\.\d+$/);
});

test('the handler answers an engine-check request with a well-formed report', async () => {
  const reply = await new Promise<EngineCheckReply>((resolve) => {
    assert.equal(handleEngineCheckMessage({ type: 'engineCheck/run' }, resolve), true);
  });
  assert.ok(isEngineCheckReply(reply));
  assert.equal(reply.type, 'engineCheck/report');
});

test('the handler leaves other messages to other handlers', () => {
  const sent: unknown[] = [];
  assert.equal(
    handleEngineCheckMessage({ type: 'train/start' }, (reply) => sent.push(reply)),
    false,
  );
  assert.equal(
    handleEngineCheckMessage('engineCheck/run', (reply) => sent.push(reply)),
    false,
  );
  assert.deepEqual(sent, []);
});
