import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { modelLab } from '../../fixtures/modelLabCli';

const CNN = 'templates/cnn-digits/digits-cnn.experiment.json';

test('model-lab summary --json: totalParams and each layer with type, outputShape and params', () => {
  const result = modelLab('summary', CNN, '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as {
    totalParams: number;
    layers: { type: string; outputShape: number[]; params: number; flops: number }[];
  };
  // 32·(1·3·3) + 32, 64·(32·3·3) + 64, 256·128 + 128, 128·10 + 10.
  assert.equal(summary.totalParams, 320 + 18_496 + 32_896 + 1_290);
  assert.deepEqual(
    summary.layers.map((l) => [l.type, l.outputShape, l.params]),
    [
      ['conv2d', [32, 8, 8], 320],
      ['maxpool2d', [32, 4, 4], 0],
      ['conv2d', [64, 4, 4], 18_496],
      ['maxpool2d', [64, 2, 2], 0],
      ['flatten', [256], 0],
      ['dropout', [256], 0],
      ['dense', [128], 32_896],
      ['dense', [10], 1_290],
    ],
  );
});

test('model-lab summary prints a table with the totals and the training memory', () => {
  const result = modelLab('summary', CNN);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Input \[1, 8, 8\]$/m);
  assert.match(result.stdout, /^3\s+conv2d\s+\[64, 4, 4\]\s+18,496\s+590 k$/m);
  assert.match(
    result.stdout,
    /^53,002 parameters · 695 k FLOPs per example · about [\d.]+ MB to train at batch 32$/m,
  );
});

test('model-lab summary refuses an experiment with errors, naming the file, line and problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-summary-'));
  try {
    const file = join(dir, 'bad.experiment.json');
    // builtin:digits resolves anywhere; the first conv's kernel no longer fits the 8×8 image.
    const text = readFileSync(CNN, 'utf8').replace('"kernel": 3, "padding": "same"', '"kernel": 9');
    writeFileSync(file, text);
    const result = modelLab('summary', file);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(`${file.replace(/[.\\]/g, '\\$&')}:\\d+:\\d+: error: layer 1: kernel 9 does not fit`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model-lab summary of an .onnx file: its nodes, the totals and the memory at the fine-tuning batch', () => {
  const model = 'test/fixtures/onnx/convbn/model.onnx';
  const result = modelLab('summary', model);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Input \[1, 7, 7\] \(model\.onnx\)$/m);
  // conv1: 4·1·3·3 + 4 parameters, 2·(4·7·7)·9 FLOPs.
  assert.match(result.stdout, /^1\s+Conv \/conv1\/Conv\s+\[4, 7, 7\]\s+40\s+3\.53 k$/m);
  assert.match(result.stdout, /^303 parameters · .* to train at batch 16$/m);
  assert.match(result.stdout, /^Activations kept for the backward pass: [\d,]+ values per example$/m);

  const json = modelLab('summary', model, '--json', '--batch-size', '64');
  assert.equal(json.status, 0, json.stderr);
  const summary = JSON.parse(json.stdout) as {
    totalParams: number;
    memory: { batchSize: number; activationBytes: number; activationsPerExample: number };
  };
  assert.equal(summary.totalParams, 303);
  assert.equal(summary.memory.batchSize, 64);
  assert.equal(summary.memory.activationBytes, summary.memory.activationsPerExample * 64 * 4 * 2);
});

test('model-lab summary of a file that is not ONNX names it and exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-summary-onnx-'));
  try {
    const file = join(dir, 'broken.onnx');
    writeFileSync(file, 'not a model');
    const result = modelLab('summary', file);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /broken\.onnx: the file is not a valid ONNX model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model-lab summary of an export with an open sequence length asks for --size; with it, the activations grow with the length', () => {
  const model = 'test/fixtures/onnx-zoo/bert-style-opset17.onnx';
  const unsized = modelLab('summary', model);
  assert.equal(unsized.status, 2);
  assert.match(
    unsized.stderr,
    /bert-style-opset17\.onnx: the file leaves the length of sequence open; give it for one example with --size, e\.g\. --size sequence=128/,
  );
  const activations = (length: number) => {
    const sized = modelLab('summary', model, '--size', `sequence=${length}`, '--json');
    assert.equal(sized.status, 0, sized.stderr);
    const summary = JSON.parse(sized.stdout) as {
      inputShape: number[];
      totalParams: number;
      memory: { activationsPerExample: number };
    };
    assert.deepEqual(summary.inputShape, [length]);
    assert.equal(summary.totalParams, 6147);
    return summary.memory.activationsPerExample;
  };
  assert.ok(activations(24) > 1.9 * activations(12));
});
