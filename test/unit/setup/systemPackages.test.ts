// The Debian-package step of `npm start` / `npm test` as a user who is not root: it
// must name the missing packages and the exact apt-get command, and stop before any work.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runNodeScript } from '../../fixtures/unprivileged';

const moduleUrl = pathToFileURL(join(__dirname, '../../../scripts/setup/systemPackages.mjs')).href;

/** Runs ensureSystemPackages on one group as an unprivileged user; prints the outcome. */
function ensureAsUser(packages: string[]): { status: number | null; stdout: string; stderr: string } {
  return runNodeScript([
    '--input-type=module',
    '-e',
    `import { ensureSystemPackages } from ${JSON.stringify(moduleUrl)};
     try {
       ensureSystemPackages([{ packages: ${JSON.stringify(packages)}, why: 'for this test' }]);
       console.log('went on');
     } catch (error) {
       console.log(error.constructor.name + ': ' + error.message);
     }`,
  ]);
}

test('a missing package stops a non-root set-up with the exact apt-get command, naming only what is missing', () => {
  const result = ensureAsUser(['dpkg', 'model-lab-no-such-package']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(
    result.stdout.trim(),
    [
      'SetupError: Model Lab needs these Debian packages, which are not installed:',
      '  model-lab-no-such-package: for this test',
      'Install them, then run the command again:',
      '  sudo apt-get update && sudo apt-get install -y --no-install-recommends model-lab-no-such-package',
    ].join('\n'),
  );
});

test('when every package is installed the set-up goes on without apt-get', () => {
  const result = ensureAsUser(['dpkg', 'coreutils']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'went on');
});

test('the command-line entry names the groups when given an unknown one', () => {
  const unknown = runNodeScript([
    join(__dirname, '../../../scripts/setup/systemPackages.mjs'),
    'no-such-group',
  ]);
  assert.equal(unknown.status, 2);
  assert.equal(
    unknown.stderr.trim(),
    'usage: systemPackages.mjs <group>…  (groups: code-server-build, browser, pytorch)',
  );
});
