// The CNN inside view's data: a short-trained digits CNN run answers, from its checkpoint,
// the test example's pixels, the first conv layer's filters and every conv layer's maps,
// asked through a real training process as the editor asks it.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import type { Experiment } from '../../../src/contract/experiment';
import { loadDataset } from '../../../src/data/loadDataset';
import { loadCheckpoint } from '../../../src/runs/checkpoints';
import { PlaygroundSession } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { askPlaygroundProcess } from '../../fixtures/playgroundProcess';
import { trainRun } from '../../fixtures/trainedRun';

const root = mkdtempSync(join(tmpdir(), 'modellab-cnn-inside-'));
after(() => rmSync(root, { recursive: true, force: true }));

const experiment: Experiment = {
  name: 'tiny-cnn',
  task: 'classification',
  data: { source: 'builtin:digits', splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
  model: {
    input: { shape: [1, 8, 8] },
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3, padding: 'same', activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 6, kernel: 3, padding: 'same', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 10 },
    ],
  },
  training: {
    epochs: 1,
    stepsPerEpoch: 4,
    batchSize: 16,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross-entropy',
    seed: 1,
  },
  metrics: ['accuracy'],
};

let runDir: string;

before(async () => {
  let outcome = '';
  runDir = await trainRun(root, experiment, (event) => (outcome = event.type));
  assert.equal(outcome, 'finished');
});

const askTrainingProcess = (examples: number[]) =>
  askPlaygroundProcess(
    runDir,
    examples.map((example) => ({ type: 'playground/featureMaps', example })),
  );

async function viewOf(example: number) {
  const session = await PlaygroundSession.open(runDir, createTrainerDeps());
  try {
    return await session.featureMaps(example);
  } finally {
    await session.dispose();
  }
}

/** The playground's class probabilities for `pixels` (its own path: the drawing pad's request). */
async function classified(pixels: number[]): Promise<{ labels: string[]; probabilities: number[] }> {
  const session = await PlaygroundSession.open(runDir, createTrainerDeps());
  try {
    return { labels: session.info.labels, probabilities: await session.classify(pixels) };
  } finally {
    await session.dispose();
  }
}

test("a CNN run shows a test example's pixels, its first conv layer's filters and every conv layer's maps", async () => {
  const view = await viewOf(3);
  const { state, position } = loadCheckpoint(runDir, view.checkpoint);
  assert.equal(view.step, position.step);
  assert.equal(view.example, 3);
  const dataset = await loadDataset(experiment, root);
  const arrays = dataset.arrays();
  assert.ok(arrays.kind === 'rows' && arrays.x instanceof Float32Array);
  assert.equal(view.testExamples, arrays.splits.test.length);
  const row = arrays.splits.test[3];
  assert.deepEqual(view.input.values, Array.from(arrays.x.slice(row * 64, (row + 1) * 64)));
  assert.equal(view.label, dataset.classes?.[arrays.labels?.[row] ?? -1]);
  // The prediction shown beside the true label is the playground's answer for the same pixels.
  const { labels, probabilities } = await classified(view.input.values);
  const top = probabilities.indexOf(Math.max(...probabilities));
  assert.equal(view.prediction?.label, labels[top]);
  assert.ok(Math.abs((view.prediction?.probability ?? -1) - probabilities[top]) < 1e-6);
  // One input channel: each filter image is that filter's own 3×3 weights.
  const weights = state.tensors['layer0.conv2d.weight'];
  assert.deepEqual([view.filters.channels, view.filters.height, view.filters.width], [4, 3, 3]);
  view.filters.values.forEach((v, i) => assert.ok(Math.abs(v - weights.data[i]) < 1e-6));
  assert.deepEqual(
    view.layers.map((l) => [l.layer, l.channels, l.height, l.width]),
    [
      [0, 4, 8, 8],
      [2, 6, 4, 4],
    ],
  );
  for (const layer of view.layers)
    assert.ok(
      layer.values.some((v) => v > 0),
      `layer ${layer.layer} maps are not all zero`,
    );
});

test('another example gives other maps; the training process answers the same as the direct call', async () => {
  const replies = await askTrainingProcess([3, 4]);
  const views = replies.map((reply) => {
    assert.ok(reply.type === 'playground/featureMapView', JSON.stringify(reply));
    return reply.view;
  });
  assert.deepEqual(
    replies.map((r) => (r.type === 'playground/featureMapView' ? r.id : -1)),
    [0, 1],
  );
  assert.deepEqual(views[0], await viewOf(3));
  assert.notDeepEqual(views[1].input.values, views[0].input.values);
  assert.notDeepEqual(views[1].layers[0].values, views[0].layers[0].values);
  assert.deepEqual(views[1].filters, views[0].filters);
});

test('an example past the test split is refused with the range to pick from', async () => {
  const [reply] = await askTrainingProcess([100_000]);
  assert.ok(reply.type === 'playground/failure' && reply.id === 0, JSON.stringify(reply));
  assert.match(reply.message, /tiny-cnn has \d+ test examples: pick one from 0 to \d+\./);
});

test('an image-folder run of colour PNGs: three-channel input as loaded, filters averaged over its channels', async () => {
  const folder = join(root, 'shapes');
  // Two classes of 6×6 RGB pictures: a red bar on the left, a blue bar on the right.
  for (const [name, column, channel] of [
    ['left', 1, 0],
    ['right', 4, 2],
  ] as const) {
    mkdirSync(join(folder, 'images', name), { recursive: true });
    for (let i = 0; i < 10; i++) {
      const image = new PNG({ width: 6, height: 6 });
      for (let p = 0; p < 36; p++) {
        const lit = p % 6 === column || (p + i) % 7 === 0;
        image.data.set([20, 20, 20, 255], p * 4);
        if (lit) image.data[p * 4 + channel] = 235;
      }
      writeFileSync(join(folder, 'images', name, `${i}.png`), PNG.sync.write(image));
    }
  }
  const shapes: Experiment = {
    ...experiment,
    name: 'png-cnn',
    data: { source: 'images', splits: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 1 },
    model: {
      input: { shape: [3, 6, 6] },
      layers: [
        { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
    },
    training: { ...experiment.training, batchSize: 4, stepsPerEpoch: 3 },
  };
  const pngRun = await trainRun(folder, shapes);
  const session = await PlaygroundSession.open(pngRun, createTrainerDeps());
  try {
    const view = await session.featureMaps(1);
    const dataset = await loadDataset(shapes, folder);
    const arrays = dataset.arrays();
    // An image folder keeps 8-bit pixels; the view shows them as the model reads them, byte / 255.
    assert.ok(arrays.kind === 'rows' && arrays.x instanceof Uint8Array);
    const row = arrays.splits.test[1];
    assert.deepEqual([view.input.channels, view.input.height, view.input.width], [3, 6, 6]);
    const pixels = Array.from(arrays.x.slice(row * 108, (row + 1) * 108));
    assert.deepEqual(
      view.input.values,
      pixels.map((byte) => Math.fround(byte / 255)),
    );
    assert.equal(view.label, dataset.classes?.[arrays.labels?.[row] ?? -1]);
    assert.ok(view.prediction && ['left', 'right'].includes(view.prediction.label));
    // Each filter image is the mean of its three input channels' 3×3 weights.
    const weights = loadCheckpoint(pngRun, view.checkpoint).state.tensors['layer0.conv2d.weight'];
    assert.deepEqual(weights.dims, [3, 3, 3, 3]);
    for (let f = 0; f < 3; f++)
      for (let i = 0; i < 9; i++) {
        const mean = [0, 1, 2].reduce((sum, c) => sum + weights.data[(f * 3 + c) * 9 + i], 0) / 3;
        assert.ok(Math.abs(view.filters.values[f * 9 + i] - mean) < 1e-6);
      }
    assert.deepEqual(
      view.layers.map((l) => [l.layer, l.channels, l.height, l.width]),
      [[0, 3, 6, 6]],
    );
  } finally {
    await session.dispose();
  }
});
