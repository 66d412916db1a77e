/** The `modelLab.runFolders` setting, as the Runs view, runs table and panels resolve it. */
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { resolveRunFolders } from '../../../src/extension/runs/runFolderPaths';

const workspace = resolve('/work/space');
const home = resolve('/home/ada');

test('absolute entries are kept; relative ones start at the first workspace folder', () => {
  assert.deepEqual(
    resolveRunFolders([resolve('/data/ci-runs'), 'exported/.modellab/runs', '../synced'], workspace, home),
    [resolve('/data/ci-runs'), join(workspace, 'exported/.modellab/runs'), resolve(workspace, '../synced')],
  );
});

test('~ starts at the home folder', () => {
  assert.deepEqual(resolveRunFolders(['~', '~/runs', '~\\runs-win'], workspace, home), [
    home,
    join(home, 'runs'),
    join(home, 'runs-win'),
  ]);
});

test('a hand-edited list: blanks trimmed, blank and non-string entries left out, each folder once', () => {
  assert.deepEqual(
    resolveRunFolders(
      ['  runs  ', '', '   ', 42, null, { path: 'x' }, 'runs', join(workspace, 'runs/')],
      workspace,
      home,
    ),
    [join(workspace, 'runs')],
  );
});

test('with no workspace folder open, relative entries are left out instead of read from the working folder', () => {
  assert.deepEqual(resolveRunFolders(['runs', resolve('/data/ci-runs')], undefined, home), [
    resolve('/data/ci-runs'),
  ]);
});

test('a setting that is not a list gives no folders', () => {
  for (const value of [undefined, null, 'runs', { runs: 'runs' }, 3])
    assert.deepEqual(resolveRunFolders(value, workspace, home), [], JSON.stringify(value));
});
