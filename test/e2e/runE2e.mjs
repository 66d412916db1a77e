// UI end-to-end layer: the packaged extension in code-server, driven by Playwright.
//   1. packages the .vsix (npm run package) and installs it with code-server --install-extension
//      into a scratch extensions folder: the tests see what a user installs
//   2. starts one code-server on a scratch copy of test/fixtures/workspace and one headless Chromium;
//      its training processes pace their steps (helpers/stepPace.ts), so runs outlast the specs that stop them
//   3. runs every test/e2e/specs/*.spec.ts with mocha (bdd: describe / it) in this process;
//      specs share the server and workbench through test/e2e/helpers/session.ts
// Screenshots land in test-artifacts/. Last stdout line: {"passed":N,"failed":N}.
// `--grep <text>` filters tests by title.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { register } from 'tsx/cjs/api';

// Specs and helpers are TypeScript; tsx compiles them on require.
register();
const require = createRequire(import.meta.url);
const { createScratch } = require('./helpers/scratch.ts');
const { installExtension, startCodeServer } = require('./helpers/codeServer.ts');
const { launchBrowser, artifactsDir, extensionId } = require('./helpers/browser.ts');
const { setE2eSession } = require('./helpers/session.ts');
const { pacedTrainingEnv } = require('./helpers/stepPace.ts');

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const specsDir = join(repo, 'test', 'e2e', 'specs');
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

function packageExtension() {
  try {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: 'pipe' });
  } catch (error) {
    // Show the build and vsce output only when packaging fails.
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
  return join(repo, 'dist', 'model-lab.vsix');
}

/** A failed test leaves a screenshot of each open page (test-artifacts/FAILED-<test>.png): what the user saw. */
function screenshotOnFailure(browser) {
  return {
    async afterEach() {
      if (this.currentTest?.state !== 'failed') return;
      const name = this.currentTest
        .fullTitle()
        .replace(/[^\w-]+/g, '-')
        .slice(0, 100);
      mkdirSync(artifactsDir, { recursive: true });
      for (const [i, page] of browser().pages().entries())
        await page
          .screenshot({ path: join(artifactsDir, `FAILED-${name}${i ? `-${i}` : ''}.png`) })
          .catch(() => {});
    },
  };
}

function runMocha(browser) {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 120_000,
    rootHooks: screenshotOnFailure(browser),
    ...(grep ? { grep } : {}),
  });
  for (const name of readdirSync(specsDir).sort()) {
    if (name.endsWith('.spec.ts')) mocha.addFile(join(specsDir, name));
  }
  return new Promise((resolveRun) => {
    const runner = mocha.run(() =>
      resolveRun({ passed: runner.stats.passes, failed: runner.stats.failures }),
    );
  });
}

async function runLayer() {
  const scratch = createScratch('e2e');
  let server;
  let browser;
  try {
    const vsix = packageExtension();
    await installExtension(scratch, vsix);
    const installed = readdirSync(scratch.extensionsDir).find((name) => name.startsWith(`${extensionId}-`));
    if (!installed) throw new Error(`installing ${relative(repo, vsix)} left no ${extensionId} folder`);
    const workspace = scratch.copyWorkspace(join(repo, 'test', 'fixtures', 'workspace'));
    server = await startCodeServer({ scratch, workspace, env: pacedTrainingEnv });
    browser = await launchBrowser(scratch);
    setE2eSession({
      serverUrl: server.url,
      workspace,
      installedExtensionDir: join(scratch.extensionsDir, installed),
      browser,
    });
    const result = await runMocha(() => browser);
    if (result.failed > 0) keepServerLog(server);
    return result;
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.stack : error}`);
    if (server) keepServerLog(server);
    return { passed: 0, failed: 1 };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    scratch.remove();
  }
}

function keepServerLog(server) {
  mkdirSync(artifactsDir, { recursive: true });
  const kept = join(artifactsDir, 'e2e-code-server.log');
  copyFileSync(server.logFile, kept);
  console.error(`e2e: server log kept in ${relative(repo, kept)}`);
}

const result = await runLayer();
console.log(JSON.stringify(result));
process.exit(result.failed === 0 ? 0 : 1);
