// Regression scores (MAE, RMSE, R², prediction sample) against textbook two-pass formulas,
// and evaluateSplit reporting a scaled series in the data's own units.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { loadDataset } from '../../../src/data/loadDataset';
import type { TrainableModel } from '../../../src/engine/api';
import { isEvalReport } from '../../../src/contract/evalReport';
import { evaluateSplit, scoreValues } from '../../../src/trainer/evaluation';
import { PREDICTION_SAMPLE_LIMIT, RegressionScorer } from '../../../src/trainer/regression';
import { quickTraining } from '../../fixtures/experimentParts';
import { experimentWith, scratchFolder } from '../data/fixtures';

/** The definitions, computed the plain way: mean of |e|, sqrt of mean e², 1 − Σe² / Σ(y − ȳ)². */
function reference(actual: number[], predicted: number[]) {
  const n = actual.length;
  const errors = actual.map((y, i) => predicted[i] - y);
  const mean = actual.reduce((a, b) => a + b, 0) / n;
  const ssRes = errors.reduce((sum, e) => sum + e * e, 0);
  const ssTot = actual.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  return {
    mae: errors.reduce((sum, e) => sum + Math.abs(e), 0) / n,
    rmse: Math.sqrt(ssRes / n),
    r2: 1 - ssRes / ssTot,
  };
}

function scored(actual: number[], predicted: number[], batch = 7, limit?: number) {
  const scorer = new RegressionScorer(actual.length, limit);
  for (let i = 0; i < actual.length; i += batch) {
    scorer.add(actual.slice(i, i + batch), predicted.slice(i, i + batch));
  }
  return scorer.scores();
}

/** A reproducible wiggly series far from zero (where Σy² − nȳ² would lose digits) and noisy predictions of it. */
function series(n: number): { actual: number[]; predicted: number[] } {
  const actual = Array.from({ length: n }, (_, i) => 10_000 + 3 * Math.sin(i / 5) + (i % 7) * 0.1);
  const predicted = actual.map((y, i) => y + Math.cos(i * 1.7) * 0.8);
  return { actual, predicted };
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

test('MAE, RMSE and R² accumulated over batches match the two-pass reference', () => {
  const { actual, predicted } = series(503);
  const scores = scored(actual, predicted);
  const expected = reference(actual, predicted);
  close(scores.mae, expected.mae, 'mae');
  close(scores.rmse, expected.rmse, 'rmse');
  close(scores.r2, expected.r2, 'r2');
  assert.ok(scores.r2 > 0 && scores.r2 < 1, `noisy predictions score between 0 and 1, got ${scores.r2}`);
});

test('R² is 1 for a perfect predictor and 0 for one that always predicts the mean', () => {
  const { actual } = series(200);
  const perfect = scored(actual, actual);
  assert.equal(perfect.r2, 1);
  assert.equal(perfect.mae, 0);
  assert.equal(perfect.rmse, 0);

  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const meanOnly = scored(
    actual,
    actual.map(() => mean),
  );
  close(meanOnly.r2, 0, 'mean-only r2');
  const worse = scored(
    actual,
    actual.map((y) => 2 * mean - y),
  );
  assert.ok(worse.r2 < 0, `a predictor worse than the mean scores below 0, got ${worse.r2}`);
});

test('R² of a constant series (SS_tot = 0): 1 for an exact fit, 0 otherwise; no examples give NaN', () => {
  assert.equal(scored([4, 4, 4], [4, 4, 4]).r2, 1);
  assert.equal(scored([4, 4, 4], [4, 5, 4]).r2, 0);
  const empty = scored([], []);
  assert.ok(Number.isNaN(empty.r2) && Number.isNaN(empty.mae) && Number.isNaN(empty.rmse));
});

test('the prediction sample holds at most the limit, spread evenly over the whole split, in order', () => {
  const n = 5_000;
  const actual = Array.from({ length: n }, (_, i) => i);
  const predicted = actual.map((y) => y + 0.5);
  const { predictions } = scored(actual, predicted, 64);
  assert.equal(PREDICTION_SAMPLE_LIMIT, 2_000);
  assert.equal(predictions.actual.length, PREDICTION_SAMPLE_LIMIT);
  assert.equal(predictions.predicted.length, PREDICTION_SAMPLE_LIMIT);
  // Positions ⌊k · 5000 / 2000⌋: 0, 2, 5, 7, 10, … up to 4997.
  assert.deepEqual(predictions.actual.slice(0, 5), [0, 2, 5, 7, 10]);
  assert.equal(predictions.actual.at(-1), 4997);
  assert.deepEqual(
    predictions.predicted,
    predictions.actual.map((y) => y + 0.5),
    'pairs stay matched',
  );
  assert.deepEqual(
    scored(actual, predicted, 64),
    scored(actual, predicted, 1000),
    'batching does not matter',
  );

  const small = scored([1, 2, 3], [1.5, 2, 2.5], 2);
  assert.deepEqual(
    small.predictions,
    { actual: [1, 2, 3], predicted: [1.5, 2, 2.5] },
    'a small split is kept whole',
  );
  const capped = scored(actual.slice(0, 10), predicted.slice(0, 10), 3, 4);
  assert.deepEqual(capped.predictions.actual, [0, 2, 5, 7]);
});

test('a diverged prediction is scored but left out of the plotted sample', () => {
  const scores = scored([1, 2, 3], [1, NaN, 3]);
  assert.ok(Number.isNaN(scores.mae));
  assert.deepEqual(scores.predictions, { actual: [1, 3], predicted: [1, 3] });
});

/** A model that always outputs `value`: enough of TrainableModel for evaluation. */
function constantModel(value: number): TrainableModel {
  return {
    outputShape: [1],
    predict: (_x: Float32Array | BigInt64Array, count: number) =>
      Promise.resolve(new Float32Array(count).fill(value)),
    evaluateLoss: () => Promise.resolve(0.5),
  } as unknown as TrainableModel;
}

test('evaluateSplit reports a standardised series in the data units: predicting 0 means predicting the training mean', async () => {
  const values = Array.from({ length: 40 }, (_, t) => 500 + 20 * Math.sin(t / 3) + t);
  const dir = scratchFolder({ 'series.csv': ['v', ...values.map(String)].join('\n') + '\n' });
  const steps = 4;
  const experiment = experimentWith(
    {
      source: 'series.csv',
      format: 'series',
      normalize: 'standard',
      splits: { train: 0.6, validation: 0.2, test: 0.2 },
    },
    {
      task: 'regression',
      model: { input: { shape: [steps, 1] }, layers: [{ type: 'dense', units: 1 }] },
      training: quickTraining({ loss: 'mse', batchSize: 3 }),
    },
  );
  const dataset = await loadDataset(experiment, dir);
  // Statistics come from the rows the training windows cover: rows 0 .. train + steps − 1.
  const trainRows = values.slice(0, dataset.sizes.train + steps);
  const trainMean = trainRows.reduce((a, b) => a + b, 0) / trainRows.length;
  const testTargets = values.slice(values.length - dataset.sizes.test);

  const scores = await evaluateSplit(constantModel(0), dataset, experiment, 'test');
  const regression = scores.regression!;
  const expected = reference(
    testTargets,
    testTargets.map(() => trainMean),
  );
  // The dataset holds float32 scaled targets: agreement to float32 precision of values near 500.
  const near = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) < 1e-3, `${what}: ${a} vs ${b}`);
  near(regression.mae, expected.mae, 'mae');
  near(regression.rmse, expected.rmse, 'rmse');
  near(regression.r2, expected.r2, 'r2');
  regression.predictions.actual.forEach((y, i) => near(y, testTargets[i], `actual ${i}`));
  regression.predictions.predicted.forEach((y) => near(y, trainMean, 'predicted'));
  // What goes into metrics.jsonl for the live charts (and what early stopping can watch).
  assert.deepEqual(scoreValues(scores, experiment), {
    loss: scores.loss,
    mae: regression.mae,
    rmse: regression.rmse,
    r2: regression.r2,
  });
});

test('eval.json guard: regression fields are optional, a malformed prediction sample is rejected', () => {
  const base = { split: 'test', count: 3, loss: 0.2, mae: 0.1 };
  assert.ok(isEvalReport(base), 'a report written before rmse, r2 and predictions still opens');
  const full = {
    ...base,
    rmse: 0.2,
    r2: 0.9,
    units: 'data',
    predictions: { actual: [1, 2], predicted: [1, 2.5] },
  };
  assert.ok(isEvalReport(full));
  assert.ok(!isEvalReport({ ...full, units: 'feet' }));
  assert.ok(!isEvalReport({ ...full, r2: '0.9' }));
  assert.ok(!isEvalReport({ ...full, predictions: { actual: [1, 2], predicted: [1] } }), 'unpaired columns');
  assert.ok(
    !isEvalReport({ ...full, predictions: { actual: [1, null], predicted: [1, 2] } }),
    'a null value',
  );
});
