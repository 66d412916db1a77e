// The mistakes gallery's data: evaluateSplit keeps the wrong test examples, most confident first,
// each checked here against the model run on that one example and the dataset's own rows.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isEvalReport, MAX_MISTAKES } from '../../../src/contract/evalReport';
import type { Experiment } from '../../../src/contract/experiment';
import { createVocabulary } from '../../../src/data/vocabulary';
import { loadDataset } from '../../../src/data/loadDataset';
import { compileModel } from '../../../src/engine';
import { evaluateSplit } from '../../../src/trainer/evaluation';
import { describeInput, MistakeCollector, rowProbabilities } from '../../../src/trainer/mistakes';
import { quickTraining } from '../../fixtures/experimentParts';

const digits: Experiment = {
  name: 'digits-mistakes',
  task: 'classification',
  data: { source: 'builtin:digits', splits: { train: 0.7, validation: 0.1, test: 0.2 }, seed: 3 },
  model: { input: { shape: [1, 8, 8] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] },
  training: quickTraining({ batchSize: 32 }),
};

/** p_c = 1 / Σ_j exp(l_j − l_c): the softmax written another way, in float64. */
const probabilityOf = (logits: ArrayLike<number>, c: number) =>
  1 / Array.from(logits).reduce((sum, l) => sum + Math.exp(l - logits[c]), 0);

test('evaluateSplit keeps the most confident wrong test examples, each as the model answers it alone', async () => {
  const dataset = await loadDataset(digits, '.');
  const model = await compileModel({
    model: { inputShape: [1, 8, 8], inputKind: 'float', layers: digits.model.layers! },
    loss: 'cross-entropy',
    optimizer: { type: 'adam', learningRate: 0.01 },
    batchSize: 32,
    seed: 5,
    device: 'cpu',
  });
  try {
    const scores = await evaluateSplit(model, dataset, digits, 'test');
    const mistakes = scores.mistakes!;
    const arrays = dataset.arrays();
    assert.equal(arrays.kind, 'rows');
    if (arrays.kind !== 'rows') return;
    // Every test example on its own, in the order evaluation reads the split.
    const wrong: { index: number; confidence: number }[] = [];
    for (const [index, row] of Array.from(arrays.splits.test).entries()) {
      const x = (arrays.x as Float32Array).slice(row * 64, (row + 1) * 64);
      const logits = await model.predict(x, 1);
      const predicted = logits.indexOf(Math.max(...logits));
      const actual: number = arrays.labels![row];
      if (predicted === actual) continue;
      wrong.push({ index, confidence: probabilityOf(logits, predicted) });
      const kept = mistakes.find((m) => m.index === index);
      if (!kept) continue;
      assert.equal(kept.actual, actual);
      assert.equal(kept.predicted, predicted);
      assert.ok(Math.abs(kept.confidence - probabilityOf(logits, predicted)) < 1e-3);
      assert.ok(Math.abs(kept.actualProbability - probabilityOf(logits, actual)) < 1e-3);
      // The digit's pixels (0–16 counts scaled to 0–1 by the loader), stretched to the example's range.
      assert.equal(kept.input.kind, 'image');
      if (kept.input.kind !== 'image') continue;
      const low = Math.min(...x);
      const high = Math.max(...x);
      kept.input.pixels.forEach((p, i) => assert.ok(Math.abs(p - (x[i] - low) / (high - low)) < 1e-3));
    }
    const offDiagonal = scores.classification!.confusion.reduce(
      (sum, row, t) => sum + row.reduce((s, n, p) => s + (p === t ? 0 : n), 0),
      0,
    );
    assert.equal(wrong.length, offDiagonal, 'the confusion matrix counts the same mistakes');
    assert.equal(mistakes.length, Math.min(MAX_MISTAKES, wrong.length));
    assert.ok(mistakes.length > 20, `an untrained model gets many wrong: ${mistakes.length}`);
    for (let i = 1; i < mistakes.length; i++) assert.ok(mistakes[i - 1].confidence >= mistakes[i].confidence);
    // Those left out are no more confident than the least confident kept.
    const kept = new Set(mistakes.map((m) => m.index));
    const floor = mistakes.at(-1)!.confidence;
    for (const w of wrong) if (!kept.has(w.index)) assert.ok(w.confidence <= floor + 1e-4);
    assert.ok(isEvalReport({ split: 'test', count: 1, loss: 1, mistakes }));
  } finally {
    await model.dispose();
  }
});

test('validation and non-classification tasks keep no mistakes', async () => {
  const dataset = await loadDataset(digits, '.');
  const model = await compileModel({
    model: { inputShape: [1, 8, 8], inputKind: 'float', layers: digits.model.layers! },
    loss: 'cross-entropy',
    optimizer: { type: 'adam', learningRate: 0.01 },
    batchSize: 32,
    seed: 5,
    device: 'cpu',
  });
  try {
    assert.equal((await evaluateSplit(model, dataset, digits, 'validation')).mistakes, undefined);
  } finally {
    await model.dispose();
  }
});

test('a name reads as its letters (padding dropped), a table row as its values', () => {
  const vocab = createVocabulary(['', 'a', 'n', 'm']);
  assert.deepEqual(
    describeInput({ inputKind: 'tokens', inputShape: [6], vocab }, [0, 0, 1, 2, 2, 1].map(BigInt)),
    {
      kind: 'text',
      text: 'anna',
    },
  );
  assert.deepEqual(describeInput({ inputKind: 'float', inputShape: [3] }, [1.23456, -2, 0.5]), {
    kind: 'values',
    values: [1.235, -2, 0.5],
  });
});

test('a large picture is kept as a thumbnail of block means, stretched to its own range', () => {
  // A 224×224 RGB input (150 528 values, more than a spread into Math.min may pass): red rises
  // down the rows, green is constant, blue is 0.
  const [height, width] = [224, 224];
  const x = new Float32Array(3 * height * width);
  for (let y = 0; y < height; y++)
    for (let column = 0; column < width; column++) {
      x[y * width + column] = y;
      x[height * width + y * width + column] = 100;
    }
  const picture = describeInput({ inputKind: 'float', inputShape: [3, height, width] }, x);
  assert.equal(picture.kind, 'image');
  if (picture.kind !== 'image') return;
  // Blocks of 4×4 (224 / 4 = 56 ≤ 64 on a side).
  assert.deepEqual([picture.channels, picture.height, picture.width], [3, 56, 56]);
  assert.equal(picture.pixels.length, 3 * 56 * 56);
  const at = (channel: number, row: number) => picture.pixels[channel * 56 * 56 + row * 56];
  // Row r of red is the mean of rows 4r..4r+3 (4r + 1.5), over the range of the block means: 0 (blue) to 221.5.
  assert.equal(at(0, 0), Number((1.5 / 221.5).toFixed(3)));
  assert.equal(at(0, 55), 1);
  assert.equal(at(1, 10), Number((100 / 221.5).toFixed(3)));
  assert.equal(at(2, 30), 0);
  // A picture within the side is kept pixel for pixel.
  const small = describeInput({ inputKind: 'float', inputShape: [1, 2, 2] }, [0, 1, 2, 4]);
  assert.deepEqual(small, { kind: 'image', channels: 1, height: 2, width: 2, pixels: [0, 0.25, 0.5, 1] });
});

test('a single bce output is read as the probability of class 1; the limit keeps the most confident', () => {
  assert.deepEqual(rowProbabilities([0]), [0.5, 0.5]);
  const collector = new MistakeCollector({ inputKind: 'float', inputShape: [1] }, 2);
  // Logits 3, −1, 2, −4 for true classes 0, 1, 0, 1: all four wrong, with rising then falling confidence.
  collector.add(Float32Array.of(10, 11, 12, 13), Float32Array.of(3, -1, 2, -4), 1, [0, 1, 0, 1]);
  const kept = collector.mistakes();
  assert.deepEqual(
    kept.map((m) => [m.index, m.predicted]),
    [
      [3, 0],
      [0, 1],
    ],
  );
  assert.ok(Math.abs(kept[0].confidence - 1 / (1 + Math.exp(-4))) < 1e-4);
});
