/**
 * The playground answers as the run's model.onnx does: a digit drawn and downsampled the way
 * the built-in digits were made gives the same probabilities through the playground's session
 * (the training process's model with the best checkpoint) as through onnxruntime on model.onnx.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns } from '../../../src/runs/runReader';
import { PlaygroundSession, sampleTopK } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { digitsFromInk, imageFromInk } from '../../../webview/playground/downsample';
import { modelLab } from '../../fixtures/modelLabCli';

const dir = mkdtempSync(join(tmpdir(), 'model-lab-playground-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A "1" drawn as a thick vertical stroke on the 32×32 grid (ink 1 in columns 14–18). */
function strokeOfOne(): number[] {
  return Array.from({ length: 32 * 32 }, (_, i) => {
    const [y, x] = [Math.floor(i / 32), i % 32];
    return y >= 3 && y <= 28 && x >= 14 && x <= 18 ? 1 : 0;
  });
}

test('downsampling counts ink in 4×4 blocks of the 32×32 grid, as the digits data was made', () => {
  const pixels = digitsFromInk(strokeOfOne());
  assert.equal(pixels.length, 64);
  // Column block 3 covers x 12–15 (2 inked columns of 4), block 4 covers x 16–19 (3 columns).
  // Row block 0 covers y 0–3 (y 3 inked): 1 row; blocks 1–6 all 4 rows; block 7 covers y 28–31: 1 row.
  assert.equal(pixels[0 * 8 + 3], (1 * 2) / 16);
  assert.equal(pixels[3 * 8 + 3], (4 * 2) / 16);
  assert.equal(pixels[3 * 8 + 4], (4 * 3) / 16);
  assert.equal(pixels[7 * 8 + 4], (1 * 3) / 16);
  assert.equal(pixels[3 * 8 + 2], 0);
  assert.deepEqual(imageFromInk([1, 0, 0, 1], 2, [1, 1, 1]), [0.5]);
  assert.deepEqual(imageFromInk([1, 0, 0, 1], 2, [3, 2, 2]), [1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
});

test("the playground's digit answer equals model.onnx on the same downsampled pixels", async () => {
  const experimentFile = join(dir, 'digits-small.experiment.json');
  writeFileSync(
    experimentFile,
    JSON.stringify({
      name: 'digits-small',
      task: 'classification',
      data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
      model: {
        input: { shape: [1, 8, 8] },
        layers: [
          { type: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
      },
      training: {
        epochs: 1,
        batchSize: 32,
        optimizer: { type: 'adam', learningRate: 0.01 },
        loss: 'cross-entropy',
        seed: 1,
      },
    }),
  );
  const runsDir = join(dir, 'runs');
  const train = modelLab(
    'train',
    experimentFile,
    '--runs-dir',
    runsDir,
    '--device',
    'cpu',
    '--max-steps',
    '30',
  );
  assert.equal(train.status, 0, train.stderr);
  const [run] = listRuns(runsDir, 'digits-small');

  const pixels = digitsFromInk(strokeOfOne());
  const session = await PlaygroundSession.open(run.dir, createTrainerDeps());
  const onnx = await ort.InferenceSession.create(readFileSync(join(run.dir, RUN_FILES.model)));
  try {
    assert.equal(session.info.kind, 'image');
    assert.equal(session.info.digits, true);
    assert.deepEqual(session.info.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const probabilities = await session.classify(pixels);
    const { output } = await onnx.run({
      input: new ort.Tensor('float32', Float32Array.from(pixels), [1, 1, 8, 8]),
    });
    const logits = Array.from(output.data as Float32Array);
    // Softmax of model.onnx's scores, in float64.
    const expected = logits.map((l) => 1 / logits.reduce((sum, m) => sum + Math.exp(m - l), 0));
    probabilities.forEach((p, i) =>
      assert.ok(Math.abs(p - expected[i]) < 1e-5, `class ${i}: ${p} vs ${expected[i]}`),
    );
    assert.equal(probabilities.indexOf(Math.max(...probabilities)), logits.indexOf(Math.max(...logits)));
    // Another drawing gives another answer: the probabilities follow the pixels.
    const blank = await session.classify(new Array(64).fill(0));
    assert.ok(blank.some((p, i) => Math.abs(p - probabilities[i]) > 1e-3));
    await assert.rejects(session.classify([1, 2, 3]), /takes 64 values per example, not 3/);
  } finally {
    await session.dispose();
    await onnx.release();
  }
});

test('top-k sampling draws only among the k largest logits, sharper with a lower temperature', () => {
  const logits = [0.1, 3, 2.9, -1, 2.95];
  for (let u = 0; u < 1; u += 0.01) assert.ok([1, 4].includes(sampleTopK(logits, 1, 2, u)));
  assert.equal(sampleTopK(logits, 1, 1, 0.99), 1);
  // At a very low temperature the largest logit takes (almost) all the mass.
  assert.equal(sampleTopK(logits, 0.01, 0, 0.9), 1);
  // top-k 0 keeps every index reachable.
  const seen = new Set(Array.from({ length: 1000 }, (_, i) => sampleTopK(logits, 5, 0, i / 1000)));
  assert.equal(seen.size, logits.length);
});
