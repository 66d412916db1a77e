/**
 * The bench's training FLOPs of an imported model (bench/flops.ts importedTrainingFlops), by which
 * it reports an imported model's GFLOP/s and share of the matmul peak: every product of the
 * PyTorch reference models counted by hand, with the passes a training step makes over it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { importedTrainingFlops } from '../../../bench/flops';
import { importOnnxFile } from '../../../src/engine/onnx';
import { modelPath } from './onnxFixtures';

describe('training FLOPs of an imported model (bench)', () => {
  it('TinyGpt: every product, attention included, is differentiated on both sides', () => {
    // vocab 11, width 16, 2 heads of 8, context 8, feed-forward 32; multiply-adds per example:
    const qkv = 8 * 16 * 48;
    const scores = 2 * 8 * 8 * 8;
    const mixed = 2 * 8 * 8 * 8;
    const proj = 8 * 16 * 16;
    const ff = 2 * 8 * 16 * 32;
    const head = 8 * 16 * 11;
    // The token embedding trains, so even the first product needs its input's gradient: 3 passes each.
    const perExample = 3 * (qkv + scores + mixed + proj + ff + head);
    assert.equal(importedTrainingFlops(importOnnxFile(modelPath('transformer')), 4), 2 * 4 * perExample);
  });

  it("CNN: the first convolution's input (the data) gets no gradient", () => {
    // 1×8×8 → conv 1→4 3×3 pad 1 → max pool 2 → conv 4→6 3×3 → 6×2×2 → pools → linear 6→3.
    const conv1 = 4 * 8 * 8 * 9;
    const conv2 = 6 * 2 * 2 * 4 * 9;
    const fc = 6 * 3;
    const plan = importOnnxFile(modelPath('cnn'));
    assert.equal(importedTrainingFlops(plan, 5), 2 * 5 * (2 * conv1 + 3 * conv2 + 3 * fc));
  });

  it('a frozen first convolution has no weight gradient, and the next one no input gradient', () => {
    const conv1 = 4 * 8 * 8 * 9;
    const conv2 = 6 * 2 * 2 * 4 * 9;
    const fc = 6 * 3;
    const plan = importOnnxFile(modelPath('cnn'), { freeze: ['conv1.'] });
    assert.equal(importedTrainingFlops(plan, 5), 2 * 5 * (conv1 + 2 * conv2 + 3 * fc));
  });
});
