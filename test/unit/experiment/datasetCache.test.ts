import { strict as assert } from 'node:assert';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDataset } from '../../../src/data/loadDataset';
import { DatasetCache } from '../../../src/experiment/datasetCache';
import { experimentWith, scratchFolder } from '../data/fixtures';

test('dataset cache: reuses a load until the data file changes, and does not keep failures', async () => {
  const dir = scratchFolder({ 'table.csv': 'a,y\n1,x\n2,y\n3,x\n4,y\n' });
  const cache = new DatasetCache(loadDataset);
  // Every row trains: the tables are too small for a validation or test split.
  const experiment = experimentWith({ source: 'table.csv', splits: { train: 1, validation: 0, test: 0 } });
  const first = await cache.load(experiment, dir);
  assert.equal(await cache.load(experiment, dir), first);
  assert.equal(
    await cache.load(
      { ...experiment, model: { input: { shape: [] }, layers: [{ type: 'dense', units: 3 }] } },
      dir,
    ),
    first,
  );

  writeFileSync(join(dir, 'table.csv'), 'a,y\n1,x\n2,y\n3,z\n4,y\n');
  utimesSync(join(dir, 'table.csv'), new Date(), new Date(Date.now() + 5000));
  const second = await cache.load(experiment, dir);
  assert.notEqual(second, first);
  assert.deepEqual(second.classes, ['x', 'y', 'z']);

  writeFileSync(join(dir, 'table.csv'), 'a,y\n1,x\n2\n');
  utimesSync(join(dir, 'table.csv'), new Date(), new Date(Date.now() + 10000));
  await assert.rejects(cache.load(experiment, dir), /2 cells|1 cells/);
  writeFileSync(join(dir, 'table.csv'), 'a,y\n1,x\n2,y\n');
  utimesSync(join(dir, 'table.csv'), new Date(), new Date(Date.now() + 10000));
  assert.deepEqual((await cache.load(experiment, dir)).classes, ['x', 'y']);
});
