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

test('argmax picks the largest of each row', () => {
  assert.deepEqual(Array.from(argmaxRows(Float32Array.from([0.1, 0.7, 0.2, 3, -1, 2]), 3)), [1, 0]);
});
