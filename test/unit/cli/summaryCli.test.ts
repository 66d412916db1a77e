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
