import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { sweptExperiment } from './fixtures';
import {
  parseExperimentText,
  validateExperimentText,
  type Problem,
} from '../../../../src/experiment/validate';
import { scratchFolder } from '../../data/fixtures';

/** A valid digits MLP with `sweep`, as pretty JSON (what the user has in the editor). */
function withSweep(sweep: object): string {
  return JSON.stringify(sweptExperiment(sweep), null, 2);
}

function errorsOf(text: string): Problem[] {
  return validateExperimentText(text, scratchFolder()).problems.filter((p) => p.severity === 'error');
}

function onlyError(text: string): Problem {
  const errors = errorsOf(text);
  assert.equal(errors.length, 1, JSON.stringify(errors, null, 1));
  return errors[0];
}

/** 0-based line of the first `needle` after the first `after`. */
function lineOf(text: string, needle: string, after = ''): number {
  const offset = text.indexOf(needle, text.indexOf(after));
  assert.ok(offset >= 0, `${needle} not in the text`);
  return text.slice(0, offset).split('\n').length - 1;
}

test('a valid grid and a valid random sweep have no problems', () => {
  const grid = withSweep({
    method: 'grid',
    parameters: { 'training.optimizer.learningRate': [0.01, 0.001], 'model.layers.0.units': [16, 64] },
    parallel: 2,
    metric: 'accuracy',
    goal: 'maximize',
  });
  assert.deepEqual(errorsOf(grid), []);
  const random = withSweep({
    method: 'random',
    trials: 8,
    seed: 3,
    parameters: {
      'training.optimizer.learningRate': { distribution: 'log-uniform', min: 0.0001, max: 0.01 },
      'training.optimizer.type': { choice: ['sgd', 'adam'] },
    },
  });
  assert.deepEqual(errorsOf(random), []);
  const parsed = validateExperimentText(random, scratchFolder());
  assert.equal(parsed.experiment?.sweep?.trials, 8);
});

test('an unknown setting path is underlined on its own line', () => {
  const text = withSweep({ method: 'grid', parameters: { 'training.optimizer.lr': [0.1] } });
  const error = onlyError(text);
  assert.match(error.message, /unknown setting "training\.optimizer\.lr"/);
  assert.equal(error.range.start.line, lineOf(text, '"training.optimizer.lr"'));
});

test('a layer index past the last layer says how many layers there are', () => {
  const text = withSweep({ method: 'grid', parameters: { 'model.layers.5.units': [8] } });
  const error = onlyError(text);
  assert.match(error.message, /model\.layers has 2 items \(0 to 1\), no 5/);
  assert.equal(error.range.start.line, lineOf(text, '"model.layers.5.units"'));
});

test('a value of the wrong type is underlined where it is written, naming the rule', () => {
  const text = withSweep({
    method: 'grid',
    parameters: { 'training.optimizer.learningRate': [0.01, 'fast'], 'training.batchSize': [16, 0] },
  });
  const errors = errorsOf(text);
  assert.equal(errors.length, 2, JSON.stringify(errors, null, 1));
  assert.match(errors[0].message, /training\.optimizer\.learningRate = "fast": .*must be a number/);
  assert.equal(errors[0].range.start.line, lineOf(text, '"fast"'));
  assert.match(errors[1].message, /training\.batchSize = 0: training\.batchSize must be ≥ 1/);
  assert.equal(errors[1].range.start.line, lineOf(text, '0', '"training.batchSize": ['));
});

test('a choice value that is not allowed is named with the choices', () => {
  const text = withSweep({
    method: 'random',
    trials: 2,
    parameters: { 'training.optimizer.type': { choice: ['adam', 'lion'] } },
  });
  const error = onlyError(text);
  assert.match(error.message, /training\.optimizer\.type = "lion": .*must be one of "sgd", "adam", "adamw"/);
  assert.equal(error.range.start.line, lineOf(text, '"lion"'));
});

test('a grid refuses distributions; random needs trials; ranges must make sense', () => {
  const grid = withSweep({
    method: 'grid',
    parameters: { 'training.optimizer.learningRate': { distribution: 'uniform', min: 0.1, max: 0.2 } },
  });
  assert.match(onlyError(grid).message, /a grid tries listed values/);
  assert.match(
    onlyError(withSweep({ method: 'random', parameters: { 'training.seed': [1, 2] } })).message,
    /sweep is missing "trials"/,
  );
  const reversed = withSweep({
    method: 'random',
    trials: 3,
    parameters: { 'training.optimizer.learningRate': { distribution: 'log-uniform', min: 0.1, max: 0.01 } },
  });
  assert.match(onlyError(reversed).message, /max \(0\.01\) is below min \(0\.1\)/);
  const logFromZero = withSweep({
    method: 'random',
    trials: 3,
    parameters: { 'training.optimizer.momentum': { distribution: 'log-uniform', min: 0, max: 0.9 } },
  });
  const zero = onlyError(logFromZero);
  assert.match(zero.message, /log-uniform distribution needs min > 0/);
  assert.equal(zero.range.start.line, lineOf(logFromZero, '"min"'));
  const noWhole = withSweep({
    method: 'random',
    trials: 3,
    parameters: { 'training.batchSize': { distribution: 'uniform', min: 16.2, max: 16.8 } },
  });
  assert.match(
    onlyError(noWhole).message,
    /training\.batchSize takes whole numbers, and there is none between 16\.2 and 16\.8/,
  );
  const negativeRate = withSweep({
    method: 'random',
    trials: 3,
    parameters: { 'training.optimizer.learningRate': { distribution: 'uniform', min: -1, max: 0.01 } },
  });
  assert.match(
    onlyError(negativeRate).message,
    /training\.optimizer\.learningRate = -1: training\.optimizer\.learningRate must be > 0/,
  );
});

test('name and sweep cannot be swept; a malformed path says how paths look', () => {
  assert.match(
    onlyError(withSweep({ method: 'grid', parameters: { name: ['a', 'b'] } })).message,
    /"name" cannot be swept/,
  );
  assert.match(
    onlyError(withSweep({ method: 'grid', parameters: { 'training..seed': [1] } })).message,
    /not a setting path/,
  );
  assert.match(
    onlyError(withSweep({ method: 'grid', parameters: {} })).message,
    /sweep\.parameters is empty/,
  );
  assert.match(
    onlyError(withSweep({ method: 'grid', parameters: { 'training.seed': 3 } })).message,
    /sweep\.parameters\.training\.seed: a list of values/,
  );
});

test('a ranking metric that is not computed is refused on sweep.metric', () => {
  const text = withSweep({ method: 'grid', parameters: { 'training.seed': [1, 2] }, metric: 'test/f1' });
  const error = onlyError(text);
  assert.match(error.message, /ranks by "f1", which is not computed/);
  assert.equal(error.range.start.line, lineOf(text, '"test/f1"'));
  assert.match(
    onlyError(withSweep({ method: 'grid', parameters: { 'training.seed': [1] }, metric: 'holdout/loss' }))
      .message,
    /is not "<split>\/<name>"/,
  );
});

test('every trial is checked as an experiment: a trial whose model does not fit its task is named with its values', () => {
  // Each input shape is a valid shape, but dense layers cannot read an image-shaped [1, 8, 8] input.
  const text = withSweep({
    method: 'grid',
    parameters: { 'model.input.shape': [[64], [1, 8, 8]], 'training.seed': [1, 2] },
  });
  const errors = errorsOf(text);
  assert.equal(errors.length, 2, JSON.stringify(errors, null, 1));
  assert.match(
    errors[0].message,
    /^trial 3 \(model\.input\.shape=\[1,8,8\], training\.seed=1\): layer 1: dense after an image-shaped input \[1, 8, 8\]/,
  );
  assert.match(errors[1].message, /^trial 4 \(model\.input\.shape=\[1,8,8\], training\.seed=2\): /);
  assert.equal(errors[0].range.start.line, lineOf(text, '"parameters"'));
});

test('a grid of more than 1000 trials is refused before anything is expanded', () => {
  const values = Array.from({ length: 40 }, (_, i) => i + 1);
  const error = onlyError(
    withSweep({ method: 'grid', parameters: { 'training.seed': values, 'training.batchSize': values } }),
  );
  assert.match(error.message, /makes 1,600 trials, more than the 1000/);
});

test('a file with no sweep is parsed as before', () => {
  const text = withSweep({ method: 'grid', parameters: { 'training.seed': [1] } }).replace(
    /,\s*"sweep": \{[\s\S]*\}\s*\}\s*$/,
    '\n}',
  );
  assert.equal(JSON.parse(text).sweep, undefined);
  assert.deepEqual(errorsOf(text), []);
  assert.ok(parseExperimentText(text).root);
});
