import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Experiment, SweepSection } from '../../../../src/contract/experiment';
import { draw, trialCount } from '../../../../src/experiment/sweep/expandSweep';
import { sweepTrials } from '../../../../src/experiment/sweep/sweepChecks';
import { sweepRanking } from '../../../../src/experiment/sweep/sweepMetric';
import { createRng } from '../../../../src/data/rng';
import { sweptExperiment } from './fixtures';

const experiment = (sweep: SweepSection): Experiment => sweptExperiment(sweep);

test('a grid is the product of its lists, the first parameter varying slowest', () => {
  const trials = sweepTrials(
    experiment({
      method: 'grid',
      parameters: {
        'training.optimizer.learningRate': [0.01, 0.001],
        'model.layers.0.units': { choice: [16, 32, 64] },
      },
    }),
  );
  assert.deepEqual(
    trials.map((t) => [t.values['training.optimizer.learningRate'], t.values['model.layers.0.units']]),
    [
      [0.01, 16],
      [0.01, 32],
      [0.01, 64],
      [0.001, 16],
      [0.001, 32],
      [0.001, 64],
    ],
  );
  assert.deepEqual(
    trials.map((t) => t.index),
    [0, 1, 2, 3, 4, 5],
  );
  // Each config is an ordinary experiment: the values set, the sweep gone, the rest untouched.
  const fifth = trials[4].config;
  assert.equal(fifth.training.optimizer.learningRate, 0.001);
  assert.deepEqual(fifth.model.layers?.[0], { type: 'dense', units: 32 });
  assert.equal(fifth.sweep, undefined);
  assert.equal(fifth.training.batchSize, 16);
  assert.equal(trialCount({ method: 'grid', parameters: { a: [1, 2], b: [1, 2, 3], c: [4] } }), 6);
});

test('a setting missing from the file is created in its section', () => {
  const [trial] = sweepTrials(
    experiment({ method: 'grid', parameters: { 'training.schedule': [{ type: 'cosine' }] } }),
  );
  assert.deepEqual(trial.config.training.schedule, { type: 'cosine' });
});

test('a random sweep draws the same trials from the same seed, and others from another', () => {
  const random = (seed: number) =>
    sweepTrials(
      experiment({
        method: 'random',
        trials: 20,
        seed,
        parameters: {
          'training.optimizer.learningRate': { distribution: 'log-uniform', min: 0.0001, max: 0.1 },
          'training.batchSize': { distribution: 'uniform', min: 8, max: 64 },
          'training.optimizer.type': ['sgd', 'adam'],
        },
      }),
    );
  const first = random(7);
  assert.equal(first.length, 20);
  assert.deepEqual(
    random(7).map((t) => t.values),
    first.map((t) => t.values),
  );
  assert.notDeepEqual(
    random(8).map((t) => t.values),
    first.map((t) => t.values),
  );
  for (const { values, config } of first) {
    const rate = values['training.optimizer.learningRate'] as number;
    assert.ok(rate >= 0.0001 && rate <= 0.1, `${rate} in range`);
    const batch = values['training.batchSize'] as number;
    assert.ok(
      Number.isInteger(batch) && batch >= 8 && batch <= 64,
      `batch size ${batch} is a whole number in range`,
    );
    assert.equal(config.training.batchSize, batch);
    assert.ok(['sgd', 'adam'].includes(config.training.optimizer.type));
  }
  // Both choices come up in 20 draws.
  assert.equal(new Set(first.map((t) => t.values['training.optimizer.type'])).size, 2);
});

test('without its own seed a random sweep draws from training.seed', () => {
  const draws = (trainingSeed: number) => {
    const e = experiment({
      method: 'random',
      trials: 5,
      parameters: { 'training.optimizer.learningRate': { distribution: 'uniform', min: 0, max: 1 } },
    });
    e.training.seed = trainingSeed;
    return sweepTrials(e).map((t) => t.values);
  };
  assert.deepEqual(draws(3), draws(3));
  assert.notDeepEqual(draws(3), draws(4));
});

test('log-uniform draws spread evenly over orders of magnitude, uniform draws over the range', () => {
  const rng = createRng(11);
  const logDraws = Array.from({ length: 4000 }, () =>
    draw({ distribution: 'log-uniform', min: 1e-4, max: 1 }, false, rng),
  ) as number[];
  // Four decades: about a quarter of the draws in each.
  for (const [low, high] of [
    [1e-4, 1e-3],
    [1e-3, 1e-2],
    [1e-2, 1e-1],
    [1e-1, 1],
  ]) {
    const share = logDraws.filter((v) => v >= low && v < high).length / logDraws.length;
    assert.ok(Math.abs(share - 0.25) < 0.03, `share in [${low}, ${high}) is ${share}`);
  }
  const uniformDraws = Array.from({ length: 4000 }, () =>
    draw({ distribution: 'uniform', min: -2, max: 2 }, false, rng),
  ) as number[];
  const mean = uniformDraws.reduce((a, b) => a + b, 0) / uniformDraws.length;
  assert.ok(Math.abs(mean) < 0.1, `uniform mean ${mean}`);
  assert.ok(uniformDraws.every((v) => v >= -2 && v <= 2));
  assert.ok(
    uniformDraws.filter((v) => v > 1).length > 800,
    'the top quarter of the range is drawn a quarter of the time',
  );
});

test('trials are ranked by validation loss unless the sweep names a metric and goal', () => {
  assert.deepEqual(sweepRanking({ method: 'grid', parameters: {} }), {
    key: 'validation/loss',
    goal: 'minimize',
  });
  assert.deepEqual(sweepRanking({ method: 'grid', parameters: {}, metric: 'accuracy' }), {
    key: 'validation/accuracy',
    goal: 'maximize',
  });
  assert.deepEqual(sweepRanking({ method: 'grid', parameters: {}, metric: 'test/loss', goal: 'maximize' }), {
    key: 'test/loss',
    goal: 'maximize',
  });
});
