import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { argmaxRows, scoreClassification } from '../../../src/trainer/classification';

test('scores of a known confusion: accuracy, per-class precision / recall / F1, macro F1', () => {
  // true:      a a a a b b c c c c
  // predicted: a a a b b c c c c a
  const actual = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 2, 2, 2, 2, 0];
  const scores = scoreClassification(predicted, actual, ['a', 'b', 'c']);
  assert.deepEqual(scores.confusion, [
    [3, 1, 0],
    [0, 1, 1],
    [1, 0, 3],
  ]);
  assert.equal(scores.accuracy, 0.7);
  const [a, b, c] = scores.classes;
  assert.deepEqual([a.precision, a.recall, a.support], [0.75, 0.75, 4]);
  assert.deepEqual([b.precision, b.recall, b.support], [0.5, 0.5, 2]);
  assert.deepEqual([c.precision, c.recall, c.support], [0.75, 0.75, 4]);
  assert.equal(a.f1, 0.75);
  assert.equal(b.f1, 0.5);
  assert.ok(Math.abs(scores.macroF1 - 2 / 3) < 1e-12);
});

test('a class never predicted has precision 0, not NaN', () => {
  const scores = scoreClassification([0, 0], [0, 1], ['a', 'b']);
  assert.deepEqual(scores.classes[1], { label: 'b', precision: 0, recall: 0, f1: 0, support: 1 });
});

test("macro F1 averages the classes the examples hold or the model predicts, as scikit-learn's does", () => {
  // Classes 0 and 2 of five hold examples; the model also predicts 3 once. sklearn's
  // f1_score([0, 0, 2, 2], [0, 3, 2, 2], average="macro") averages labels {0, 2, 3}:
  // F1 = 2/3 (precision 1, recall 1/2), 1 and 0, so 5/9; classes 1 and 4 do not count.
  const scores = scoreClassification([0, 3, 2, 2], [0, 0, 2, 2], ['0', '1', '2', '3', '4']);
  assert.ok(Math.abs(scores.macroF1 - 5 / 9) < 1e-12, String(scores.macroF1));
  // Every class is still reported, with its support.
  assert.deepEqual(
    scores.classes.map((c) => c.support),
    [2, 0, 2, 0, 0],
  );
});

test('argmax picks the largest of each row', () => {
  assert.deepEqual(Array.from(argmaxRows(Float32Array.from([0.1, 0.7, 0.2, 3, -1, 2]), 3)), [1, 0]);
});
