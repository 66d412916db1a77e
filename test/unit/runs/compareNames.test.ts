import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import { shortRunNames } from '../../../src/runs/compareNames';
import { sweptExperiment } from '../experiment/sweep/fixtures';

const config = (edit: (e: Experiment) => void): Experiment => {
  const { sweep: _none, ...experiment } = sweptExperiment({ method: 'grid', parameters: {} });
  edit(experiment);
  return experiment;
};

test('compared runs are named by the settings that differ, each by the shortest tail of its path', () => {
  const names = shortRunNames([
    { id: 'a', config: config((e) => (e.training.optimizer.learningRate = 0.01)) },
    {
      id: 'b',
      config: config((e) => {
        e.training.optimizer.learningRate = 0.003;
        e.model.layers![0] = { type: 'dense', units: 64 };
      }),
    },
  ]);
  assert.deepEqual(names, ['units=32, learningRate=0.01', 'units=64, learningRate=0.003']);
});

test('two differing settings with the same last field keep enough of their paths to tell them apart', () => {
  const names = shortRunNames([
    { id: 'a', config: config(() => undefined) },
    {
      id: 'b',
      config: config((e) => {
        e.model.layers = [
          { type: 'dense', units: 16 },
          { type: 'dense', units: 12 },
        ];
      }),
    },
  ]);
  assert.deepEqual(names, ['layers.0.units=32, layers.1.units=10', 'layers.0.units=16, layers.1.units=12']);
});

test("a run's own name wins; runs that differ in nothing are named by their ids; one run keeps its id", () => {
  const same = config(() => undefined);
  assert.deepEqual(
    shortRunNames([
      { id: '20261201-1', config: same },
      { id: '20261201-2', config: same, name: '  baseline  ' },
    ]),
    ['20261201-1', 'baseline'],
  );
  assert.deepEqual(shortRunNames([{ id: 'only', config: config((e) => (e.training.seed = 9)) }]), ['only']);
  // The experiment's name and description are not settings: runs of two experiments differ in what they set.
  assert.deepEqual(
    shortRunNames([
      { id: 'a', config: config((e) => (e.name = 'first')) },
      { id: 'b', config: config((e) => ((e.name = 'second'), (e.description = 'x'))) },
    ]),
    ['a', 'b'],
  );
});

test('more than three differing settings are cut short; a run without a config is named by its id', () => {
  const many = config((e) => {
    e.training.seed = 5;
    e.training.batchSize = 64;
    e.training.epochs = 3;
    e.training.optimizer.learningRate = 0.1;
  });
  const [first, second, third] = shortRunNames([
    { id: 'a', config: config(() => undefined) },
    { id: 'b', config: many },
    { id: 'c' },
  ]);
  assert.equal(first, 'epochs=1, batchSize=16, learningRate=0.001, …');
  assert.equal(second, 'epochs=3, batchSize=64, learningRate=0.1, …');
  assert.equal(third, 'c');
});

test('compare names flatten as the runs table does: a shape is one setting, a sweep section none', () => {
  const names = shortRunNames([
    { id: 'a', config: config((e) => (e.model.input = { shape: [1, 8, 8] })) },
    {
      id: 'b',
      config: {
        ...config((e) => (e.model.input = { shape: [1, 4, 4] })),
        sweep: sweptExperiment({ method: 'grid', parameters: { 'training.seed': [1, 2] } }).sweep,
      },
    },
  ]);
  assert.deepEqual(names, ['shape=[1,8,8]', 'shape=[1,4,4]']);
});
