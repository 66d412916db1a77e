/**
 * "Evaluate on data…": the model as it is, on every row of a CSV, read unscaled and row-major
 * into its input. The scores equal onnxruntime running the original file on the same rows; data
 * that does not fit the model is refused naming the file and both shapes.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { isOnnxEvaluateReply, type OnnxEvaluateReply } from '../../../src/protocol/onnxEvaluate';
import { evaluateOnnxOnData } from '../../../src/trainer/onnxDataEvaluation';
import { handleOnnxEvaluateMessage } from '../../../src/trainer/onnxEvaluateHandler';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { modelPath } from '../engine/onnxFixtures';

const root = mkdtempSync(join(tmpdir(), 'modellab-onnx-evaluate-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** 50 rows of 64 pixels in [0, 3) (far from standardized) and a class 0–2, in `target` (last column). */
function pixels(target: string) {
  const rows = Array.from({ length: 50 }, (_, r) => ({
    x: Array.from({ length: 64 }, (_, i) => ((r * 13 + i * 7) % 30) / 10),
    label: (r * 7) % 3,
  }));
  const header = [...Array.from({ length: 64 }, (_, i) => `p${i}`), target].join(',');
  const text = [header, ...rows.map((row) => [...row.x, row.label].join(','))].join('\n') + '\n';
  return { rows, text };
}

/** Mean cross-entropy and accuracy of the original file under onnxruntime, on the raw rows. */
async function reference(rows: { x: number[]; label: number }[]) {
  const session = await ort.InferenceSession.create(modelPath('cnn'));
  const input = new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r.x)), [
    rows.length,
    1,
    8,
    8,
  ]);
  const logits = (await session.run({ input })).output.data as Float32Array;
  await session.release();
  let loss = 0;
  let correct = 0;
  rows.forEach((row, k) => {
    const z = Array.from(logits.subarray(3 * k, 3 * k + 3));
    const max = Math.max(...z);
    const logSum = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    loss += logSum - z[row.label];
    if (z.indexOf(max) === row.label) correct++;
  });
  return { loss: loss / rows.length, accuracy: correct / rows.length };
}

describe('evaluating an ONNX model on a data file', () => {
  it('scores every row, unscaled, as onnxruntime does on the original file (labels in the last column)', async () => {
    const { rows, text } = pixels('digit');
    const data = join(root, 'pixels.csv');
    writeFileSync(data, text);
    const result = await evaluateOnnxOnData(modelPath('cnn'), data, createTrainerDeps());
    const expected = await reference(rows);
    assert.equal(result.task, 'classification');
    assert.equal(result.count, 50);
    assert.ok(
      Math.abs((result.values.loss ?? NaN) - expected.loss) < 1e-5,
      `${result.values.loss} vs ${expected.loss}`,
    );
    assert.equal(result.values.accuracy, expected.accuracy);
  });

  it('refuses data whose examples do not fit the model, naming the file and both shapes', async () => {
    const data = join(root, 'narrow.csv');
    writeFileSync(data, 'a,b,label\n1,2,0\n3,4,1\n5,6,2\n');
    await assert.rejects(
      evaluateOnnxOnData(modelPath('cnn'), data, createTrainerDeps()),
      /narrow\.csv: the data gives examples of shape \[2\] \(2 values\), but input input of model\.onnx takes \[1, 8, 8\] \(64 values\)/,
    );
  });

  it('the training process answers a request with the scores, or a failure that names the file', async () => {
    const ask = (data: string) =>
      new Promise<unknown>((resolve) =>
        assert.ok(
          handleOnnxEvaluateMessage(
            { type: 'onnxEvaluate/run', model: modelPath('cnn'), data },
            createTrainerDeps(),
            (reply: OnnxEvaluateReply) => resolve(JSON.parse(JSON.stringify(reply))),
          ),
        ),
      );
    const scored = await ask(join(root, 'pixels.csv'));
    assert.ok(isOnnxEvaluateReply(scored) && scored.type === 'onnxEvaluate/report');
    const missing = await ask(join(root, 'absent.csv'));
    assert.ok(isOnnxEvaluateReply(missing) && missing.type === 'onnxEvaluate/failure');
    assert.match(missing.type === 'onnxEvaluate/failure' ? missing.message : '', /absent\.csv/);
  });
});
