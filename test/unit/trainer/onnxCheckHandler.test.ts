/**
 * The training process answers the model view's Check: a report for a model it can read
 * (whatever the verdict), a failure naming why for a file it cannot; other messages are not its.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { OnnxCheckReply } from '../../../src/protocol/onnxCheck';
import { isOnnxCheckReply } from '../../../src/protocol/onnxCheck';
import { handleOnnxCheckMessage } from '../../../src/trainer/onnxCheckHandler';
import { modelPath } from '../engine/onnxFixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-handler-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Sends one request and waits for the reply, as JSON (the IPC pipe's format) carries it. */
function ask(path: string): Promise<unknown> {
  return new Promise((resolve) => {
    const handled = handleOnnxCheckMessage({ type: 'onnxCheck/run', path }, (reply: OnnxCheckReply) =>
      resolve(JSON.parse(JSON.stringify(reply))),
    );
    assert.equal(handled, true);
  });
}

test('a readable model gets its compatibility report', async () => {
  const reply = await ask(modelPath('gru'));
  assert.ok(isOnnxCheckReply(reply));
  assert.equal(reply.type, 'onnxCheck/report');
  if (reply.type === 'onnxCheck/report') {
    assert.equal(reply.report.verdict, 'trainable', reply.report.problems.join('; '));
    assert.ok(reply.report.ops.some((op) => op.opType === 'GRU'));
  }
});

test('a file that is not ONNX gets a failure that says so', async () => {
  const file = join(root, 'notes.onnx');
  writeFileSync(file, 'these are notes, not a model');
  const reply = await ask(file);
  assert.ok(isOnnxCheckReply(reply));
  assert.equal(reply.type, 'onnxCheck/failure');
  if (reply.type === 'onnxCheck/failure') assert.match(reply.message, /not a valid ONNX model|no ONNX graph/);
});

test('other channels’ messages are left to their handlers', () => {
  assert.equal(
    handleOnnxCheckMessage({ type: 'engineCheck/run' }, () => assert.fail('answered')),
    false,
  );
});
