import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runLocation } from '../../../src/extension/panels/runLocation';

test('run pickers show a run folder relative to its workspace folder, not as an absolute path', () => {
  const run = '/home/ada/lab/.modellab/runs/digits-cnn/20261201-101500-a1';
  assert.equal(
    runLocation(run, ['/home/ada/lab'], '/home/ada'),
    '.modellab/runs/digits-cnn/20261201-101500-a1',
  );
  // Several workspace folders: the folder's name says which.
  assert.equal(
    runLocation(run, ['/home/ada/other', '/home/ada/lab'], '/home/ada'),
    'lab/.modellab/runs/digits-cnn/20261201-101500-a1',
  );
  // A folder that merely starts with the same letters is not inside.
  assert.equal(runLocation('/home/ada/lab2/runs/x/1', ['/home/ada/lab'], '/home/ada'), '~/lab2/runs/x/1');
  // modelLab.runFolders outside the workspace: under home with ~, elsewhere absolute.
  assert.equal(runLocation('/srv/runs/x/1', ['/home/ada/lab'], '/home/ada'), '/srv/runs/x/1');
  assert.equal(runLocation(run, [], ''), run);
});
