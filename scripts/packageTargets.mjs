// `npm run package:all [target…]`: one .vsix per platform, dist/model-lab-<target>.vsix,
// each holding only that platform's onnxruntime-node binaries (see platformTargets.mjs).
// `npm run package` stays the linux-x64 build the UI tests install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignoreFileFor, TARGET_BINARIES } from './platformTargets.mjs';

const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(TARGET_BINARIES);
const base = readFileSync('.vscodeignore', 'utf8');
execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
// Outside dist/: everything in dist/ goes into the package.
const ignoreDir = mkdtempSync(join(tmpdir(), 'model-lab-package-'));
for (const target of targets) {
  const ignoreFile = join(ignoreDir, `${target}.vscodeignore`);
  writeFileSync(ignoreFile, ignoreFileFor(base, target));
  const out = join('dist', `model-lab-${target}.vsix`);
  execFileSync(
    'npx',
    [
      'vsce',
      'package',
      '--target',
      target,
      '--ignoreFile',
      ignoreFile,
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '-o',
      out,
    ],
    { stdio: 'inherit' },
  );
}
rmSync(ignoreDir, { recursive: true, force: true });
