import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Mistake } from '../../../src/contract/evalReport';
import { scoreClassification } from '../../../src/trainer/classification';
import { countedClasses } from '../../../src/contract/evalReport';
import { classAverages } from '../../../webview/shared/classAverages';
import { describeFilter, filterMistakes, percent } from '../../../webview/evaluation/mistakeFilter';

test('macro and weighted averages follow scikit-learn classification_report, worked by hand', () => {
  // y_true = [0,0,0,0,1,1,2], y_pred = [0,0,1,2,1,1,1]. Per class (precision, recall, F1, support):
  //   0: 2/2, 2/4, 2/3, 4    1: 2/4, 2/2, 2/3, 2    2: 0, 0, 0, 1
  // macro: plain means; weighted: means weighted by support 4, 2, 1.
  const { classes } = scoreClassification([0, 0, 1, 2, 1, 1, 1], [0, 0, 0, 0, 1, 1, 2], ['a', 'b', 'c']);
  const { macro, weighted } = classAverages(classes);
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(macro.precision, (1 + 0.5 + 0) / 3);
  near(macro.recall, (0.5 + 1 + 0) / 3);
  near(macro.f1, (2 / 3 + 2 / 3 + 0) / 3);
  near(weighted.precision, (1 * 4 + 0.5 * 2) / 7);
  near(weighted.recall, (0.5 * 4 + 1 * 2) / 7);
  near(weighted.f1, ((2 / 3) * 4 + (2 / 3) * 2) / 7);
  assert.equal(macro.support, 7);
  assert.deepEqual(classAverages([]).macro, { precision: 0, recall: 0, f1: 0, support: 0 });
  // A class with no example that the model never predicted does not count (scikit-learn's
  // labels=None); one it predicted does, with its zero scores.
  const absent = { label: 'z', precision: 0, recall: 0, f1: 0, support: 0 };
  const confusion = [
    [3, 1, 0],
    [1, 3, 0],
    [0, 0, 0],
  ];
  assert.deepEqual(
    classAverages([...classes.slice(0, 2), absent], confusion).macro,
    classAverages(classes.slice(0, 2)).macro,
  );
  // The table and the confusion matrix show the counted classes: here a and b, not z.
  assert.deepEqual(countedClasses([...classes.slice(0, 2), absent], confusion), [0, 1]);
  assert.deepEqual(countedClasses([...classes.slice(0, 2), absent]), [0, 1, 2]);
  const predictedOnce = [
    [3, 0, 1],
    [1, 3, 0],
    [0, 0, 0],
  ];
  assert.equal(
    classAverages([...classes.slice(0, 2), absent], predictedOnce).macro.f1,
    (classes[0].f1 + classes[1].f1) / 3,
  );
});

const mistake = (actual: number, predicted: number, confidence: number): Mistake => ({
  index: 0,
  actual,
  predicted,
  confidence,
  actualProbability: 0.01,
  input: { kind: 'text', text: 'x' },
});

test('a confusion cell filters by both classes, a row by the true class, a column by the prediction', () => {
  const all = [mistake(3, 8, 0.9), mistake(3, 5, 0.8), mistake(9, 8, 0.7)];
  assert.equal(filterMistakes(all, {}).length, 3);
  assert.deepEqual(filterMistakes(all, { actual: 3, predicted: 8 }), [all[0]]);
  assert.deepEqual(filterMistakes(all, { actual: 3 }), [all[0], all[1]]);
  assert.deepEqual(filterMistakes(all, { predicted: 8 }), [all[0], all[2]]);
  const label = (c: number) => `digit ${c}`;
  assert.equal(describeFilter({ actual: 3, predicted: 8 }, label), 'true digit 3 → predicted digit 8');
  assert.equal(describeFilter({ predicted: 0 }, label), 'predicted digit 0');
  assert.equal(describeFilter({}, label), undefined);
  assert.equal(percent(0.914), '91%');
  assert.equal(percent(0.004), '0.4%');
});
