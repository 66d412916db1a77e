import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_THREADS_SETTING, isThreadsSetting, threadsFor } from '../../../src/contract/threads';

test('"auto" leaves one core to the editor when there are more than two, and takes both of two', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 16].map((cores) => threadsFor('auto', cores)),
    [1, 2, 2, 3, 15],
  );
});

test('a number of threads is taken as it is, whatever the cores', () => {
  assert.equal(threadsFor(1, 8), 1);
  assert.equal(threadsFor(12, 8), 12);
});

test('the setting takes "auto" or a whole number of at least 1, as the manifest declares with "auto" as default', () => {
  for (const good of ['auto', 1, 6]) assert.equal(isThreadsSetting(good), true, String(good));
  for (const bad of [0, -2, 2.5, '4', 'all', null, undefined])
    assert.equal(isThreadsSetting(bad), false, String(bad));
  const setting = JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration.properties[
    'modelLab.threads'
  ];
  assert.equal(setting.default, DEFAULT_THREADS_SETTING);
  assert.deepEqual(setting.anyOf, [
    { type: 'string', enum: ['auto'] },
    { type: 'integer', minimum: 1 },
  ]);
});
