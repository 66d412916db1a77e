/**
 * The editor validates experiments against their data's facts (loadDatasetFacts): an image
 * folder is listed, not decoded, so opening or editing an experiment over thousands of photos
 * neither holds their pixels in the editor's memory nor spends minutes decoding them there. The
 * facts must be those of the dataset the training process decodes, or the editor would pass or
 * refuse what training does not.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import type { DatasetFacts } from '../../../src/data/api';
import { loadDataset, loadDatasetFacts } from '../../../src/data/loadDataset';
import { validateExperiment, parseExperimentText } from '../../../src/experiment/validate';
import { dataError, experimentWith, scratchFolder } from './fixtures';

/** `folder/<class>/<i>.png`: `count` 5×3 RGB images of each class. */
function imageFolder(root: string, folder: string, classes: Record<string, number>): void {
  for (const [name, count] of Object.entries(classes)) {
    mkdirSync(join(root, folder, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      const image = new PNG({ width: 5, height: 3 });
      for (let p = 0; p < 15; p++) image.data.set([10 * i, 20, 30 + p, 255], p * 4);
      writeFileSync(join(root, folder, name, `${i}.png`), PNG.sync.write(image));
    }
  }
}

const factsOf = (d: DatasetFacts) => ({
  source: d.source,
  inputKind: d.inputKind,
  inputShape: d.inputShape,
  outputShape: d.outputShape,
  classes: d.classes,
  sizes: d.sizes,
  labelsRead: d.labelsRead,
});

test("image folder facts: the decoded dataset's shapes, classes and split sizes, without reading a pixel", async () => {
  const dir = scratchFolder();
  imageFolder(dir, 'photos', { ant: 6, bee: 5, wasp: 9 });
  imageFolder(dir, 'train', { ant: 4, bee: 3 });
  imageFolder(dir, 'val', { ant: 1, bee: 2 });
  const single = experimentWith(
    { source: 'photos', splits: { train: 0.6, validation: 0.2, test: 0.2 } },
    { model: { input: { shape: [3, 8, 8] }, layers: [] } },
  );
  const splitFolders = experimentWith(
    { source: { train: 'train', validation: 'val' }, splits: undefined, imageSize: [6, 6] },
    { model: { input: { shape: [1, 6, 6] }, layers: [] } },
  );
  const binary = {
    ...splitFolders,
    training: { ...splitFolders.training, loss: 'bce-with-logits' as const },
  };
  for (const experiment of [single, splitFolders, binary]) {
    const decoded = await loadDataset(experiment, dir);
    const facts = await loadDatasetFacts(experiment, dir);
    assert.deepEqual(factsOf(facts), factsOf(decoded));
  }
  assert.deepEqual(factsOf(await loadDatasetFacts(single, dir)), {
    source: 'photos',
    inputKind: 'float',
    inputShape: [3, 8, 8],
    outputShape: [3],
    classes: ['ant', 'bee', 'wasp'],
    sizes: { train: 12, validation: 4, test: 4 },
    labelsRead: undefined,
  });

  // Facts hold no examples: nothing to train on by mistake, nothing for the editor's cache to keep.
  const facts = await loadDatasetFacts(single, dir);
  assert.ok(!('batches' in facts) && !('arrays' in facts));
});

test("image folder facts: a file that does not decode is the training run's error, checks of the model still hold", async () => {
  const dir = scratchFolder();
  imageFolder(dir, 'photos', { ant: 5, bee: 5 });
  writeFileSync(join(dir, 'photos', 'bee', 'broken.png'), 'not a picture');
  const experiment = experimentWith(
    { source: 'photos', splits: { train: 0.6, validation: 0.2, test: 0.2 } },
    { model: { input: { shape: [3, 8, 8] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }] } },
  );
  // Training decodes every image and names the one it cannot read.
  const error = await dataError(loadDataset(experiment, dir));
  assert.equal(error.file, join(dir, 'photos', 'bee', 'broken.png'));

  // The editor's checks read the folder's facts: the 3-unit output against its 2 classes is still
  // found, on the last layer, without decoding.
  const parsed = parseExperimentText(JSON.stringify(experiment, null, 2));
  const { problems } = await validateExperiment(parsed, dir, loadDatasetFacts);
  const messages = problems.map((p) => p.message).join('\n');
  assert.match(messages, /2 classes/);
  assert.doesNotMatch(messages, /broken\.png/);
});

test('facts of a table are those of its dataset, without its arrays', async () => {
  const dir = scratchFolder({
    'wine.csv':
      'acid,sugar,kind\n' +
      Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2 ? 'red' : 'white'}\n`).join(''),
  });
  const experiment = experimentWith(
    { source: 'wine.csv', target: 'kind', splits: { train: 0.6, validation: 0.2, test: 0.2 } },
    { model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] } },
  );
  const facts = await loadDatasetFacts(experiment, dir);
  assert.deepEqual(factsOf(facts), factsOf(await loadDataset(experiment, dir)));
  assert.deepEqual(facts.classes, ['red', 'white']);
  assert.ok(!('batches' in facts) && !('arrays' in facts));
});
