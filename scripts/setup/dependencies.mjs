// The project's npm dependencies: `npm ci` when node_modules is missing or older than
// package-lock.json (a fresh clone, or a pull that changed the lock file).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './setupError.mjs';

function dependenciesStale(repo) {
  const installed = join(repo, 'node_modules', '.package-lock.json');
  return (
    !existsSync(installed) || statSync(installed).mtimeMs < statSync(join(repo, 'package-lock.json')).mtimeMs
  );
}

export function ensureDependencies(repo) {
  if (!dependenciesStale(repo)) return;
  console.log('[setup] installing the project dependencies (npm ci)');
  const result = spawnSync('npm', ['ci'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0)
    throw new SetupError(
      `npm ci failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); its output is above.`,
    );
}
