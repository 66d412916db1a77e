import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createRng } from '../../../src/data/api';
import { loadDataset } from '../../../src/data/loadDataset';
import { parseExperimentText, validateExperiment } from '../../../src/experiment/validate';
import type { Experiment, LayersModelSection } from '../../../src/contract/experiment';

interface ManifestEntry {
  id: string;
  title: string;
  description: string;
  detail: string;
  experimentFile: string;
  target: { metric: string; atLeast?: number; atMost?: number };
}

const manifest = JSON.parse(readFileSync('templates/manifest.json', 'utf8')) as {
  templates: ManifestEntry[];
};

test('the manifest lists every template folder, each with its experiment file and README', () => {
  const folders = readdirSync('templates', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  assert.deepEqual(manifest.templates.map((t) => t.id).sort(), folders);
  for (const template of manifest.templates) {
    assert.ok(template.title && template.description && template.detail, template.id);
    assert.ok(existsSync(join('templates', template.id, template.experimentFile)), template.id);
    assert.ok(existsSync(join('templates', template.id, 'README.md')), template.id);
  }
});

test('the New Experiment picker shows each template whole: a short first line, the target in detail', () => {
  for (const template of manifest.templates) {
    // The picker's first line (title, then description) is cut off past about 90 characters.
    const firstLine = `${template.title}  ${template.description}`;
    assert.ok(firstLine.length <= 90, `${template.id}: "${firstLine}" is ${firstLine.length} characters`);
    assert.match(template.detail, /^Target: /, template.id);
    // The target said is the one the template is tested against.
    const bound = template.target.atLeast ?? template.target.atMost!;
    const said = template.target.metric === 'accuracy' ? `${Math.round(bound * 100)} %` : String(bound);
    assert.ok(template.detail.includes(said), `${template.id}: "${template.detail}" names ${said}`);
    assert.ok(
      template.detail.includes(template.target.metric),
      `${template.id} names ${template.target.metric}`,
    );
  }
});

for (const template of manifest.templates) {
  test(`template ${template.id}: validates cleanly and its dataset loads in the declared shape`, async () => {
    const file = join('templates', template.id, template.experimentFile);
    const text = readFileSync(file, 'utf8');
    assert.deepEqual((await validateExperiment(parseExperimentText(text), dirname(file))).problems, []);
    const experiment = JSON.parse(text) as Experiment & { model: LayersModelSection };
    const dataset = await loadDataset(experiment, join('templates', template.id));
    assert.deepEqual(dataset.inputShape, experiment.model.input.shape);
    const [batch] = dataset.batches('train', experiment.training.batchSize, createRng(1), { maxBatches: 1 });
    assert.equal(batch.count, experiment.training.batchSize);
    assert.ok(dataset.sizes.validation > 0 && dataset.sizes.test > 0);
  });
}
