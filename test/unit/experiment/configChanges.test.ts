import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { changesSince, configChanges } from '../../../src/experiment/configChanges';
import { experimentFixture } from '../../fixtures/runInfo';

const dir = mkdtempSync(join(tmpdir(), 'modellab-changes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an unchanged file has no changes, whatever its formatting and comments', () => {
  const saved = experimentFixture();
  const file = join(dir, 'same.experiment.json');
  writeFileSync(file, `// my experiment\n${JSON.stringify(saved, null, 4)}`);
  assert.deepEqual(changesSince(saved, file), []);
});

test('changed, added and removed fields are listed by path with before → after', () => {
  const saved = experimentFixture();
  const current = structuredClone(saved);
  current.training.optimizer.learningRate = 0.5;
  current.training.clipNorm = 1;
  delete (current.data as Partial<typeof current.data>).seed;
  assert.deepEqual(configChanges(saved, current), [
    'data.seed: 1 → (none)',
    'training.optimizer.learningRate: 0.1 → 0.5',
    'training.clipNorm: (none) → 1',
  ]);
});

test('long lists are cut after four lines; a file that is gone or not JSON says so', () => {
  const saved = experimentFixture();
  const current = {
    ...saved,
    name: 'x',
    task: 'regression',
    metrics: ['mae'],
    probe: { text: 'a' },
    description: 'd',
  };
  assert.deepEqual(configChanges(saved, current).slice(4), ['… and 1 more']);
  assert.deepEqual(changesSince(saved, join(dir, 'gone.experiment.json')), [
    'gone.experiment.json cannot be read now',
  ]);
  const broken = join(dir, 'broken.experiment.json');
  writeFileSync(broken, '{ "name": ');
  assert.deepEqual(changesSince(saved, broken), ['broken.experiment.json is not valid JSON now']);
});
