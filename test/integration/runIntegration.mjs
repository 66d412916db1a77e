// Integration layer: mocha inside a real VS Code extension host (code-server).
//   1. builds the extension and compiles test/integration/suite/**/*.ts into out/integration/
//   2. starts one code-server with the smoke-test driver, the repo as extensionDevelopmentPath
//      and out/integration/index.js as extensionTestsPath, on a scratch copy of test/fixtures/workspace;
//      its training processes pace their steps (e2e/helpers/stepPace.ts)
//   3. opens the workbench in headless Chromium; the workbench calls window.codeAutomationExit
//      when the suite ends; results come back through a file
// Last stdout line: {"passed":N,"failed":N}. `--grep <text>` filters tests by title;
// `--compile-only` builds and compiles the suite without running it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

// The helpers are TypeScript shared with the UI layer; tsx compiles them on require.
register();
const require = createRequire(import.meta.url);
const { createScratch } = require('../e2e/helpers/scratch.ts');
const { startCodeServer } = require('../e2e/helpers/codeServer.ts');
const { launchBrowser, openWorkbench, workbenchUrl, artifactsDir } = require('../e2e/helpers/browser.ts');
const { pacedTrainingEnv } = require('../e2e/helpers/stepPace.ts');

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = join(repo, 'test', 'integration', 'suite');
const outDir = join(repo, 'out', 'integration');
const suiteTimeoutMs = 5 * 60_000;
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

function findSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findSources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

async function compileSuite() {
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: findSources(suiteDir),
    outbase: suiteDir,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // vscode comes from the host; mocha resolves from the repo's node_modules at run time.
    external: ['vscode', 'mocha', 'onnxruntime-node'],
    logLevel: 'warning',
  });
}

/** Runs a build step; its output is shown only when it fails. */
function quietly(command, commandArgs) {
  try {
    execFileSync(command, commandArgs, { cwd: repo, stdio: 'pipe' });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
}

function printResults(results) {
  for (const test of results.tests) {
    console.log(`${test.state === 'passed' ? '  ✔' : '  ✖'} ${test.title}`);
    if (test.report) console.log(`      ${test.report}`);
    if (test.error) console.log(test.error.replace(/^/gm, '      '));
  }
}

async function runSuite() {
  quietly(process.execPath, [join(repo, 'esbuild.mjs')]);
  await compileSuite();
  const scratch = createScratch('integration');
  const resultsFile = join(scratch.root, 'results.json');
  const workspace = scratch.copyWorkspace(join(repo, 'test', 'fixtures', 'workspace'));
  let server;
  let browser;
  try {
    server = await startCodeServer({
      scratch,
      workspace,
      extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
      env: {
        ...pacedTrainingEnv,
        MODEL_LAB_TEST_RESULTS: resultsFile,
        ...(grep ? { MODEL_LAB_TEST_GREP: grep } : {}),
      },
    });
    browser = await launchBrowser(scratch);
    const page = browser.pages()[0] ?? (await browser.newPage());
    let timer;
    const exitCode = new Promise((resolveExit, rejectExit) => {
      timer = setTimeout(
        () => rejectExit(new Error(`the suite did not finish within ${suiteTimeoutMs / 1000} s`)),
        suiteTimeoutMs,
      );
      void page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    });
    const remote = (path) => `vscode-remote://remote${path}`;
    await openWorkbench(
      browser,
      workbenchUrl(server.url, workspace, [
        ['extensionDevelopmentPath', remote(repo)],
        ['extensionTestsPath', remote(join(outDir, 'index.js'))],
      ]),
    );
    const code = await exitCode.finally(() => clearTimeout(timer));
    if (!existsSync(resultsFile))
      throw new Error(`the suite exited with code ${code} without writing results`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    printResults(results);
    return { passed: results.passed, failed: results.failed };
  } catch (error) {
    console.error(`integration: ${error instanceof Error ? error.message : error}`);
    if (server) {
      mkdirSync(artifactsDir, { recursive: true });
      copyFileSync(server.logFile, join(artifactsDir, 'integration-code-server.log'));
      console.error(
        `integration: server log kept in ${relative(repo, join(artifactsDir, 'integration-code-server.log'))}`,
      );
    }
    return { passed: 0, failed: 1 };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    scratch.remove();
  }
}

if (args.includes('--compile-only')) {
  // For the "Extension Tests" launch configuration: build, compile the suite, stop.
  execFileSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'inherit' });
  await compileSuite();
  process.exit(0);
}

const result = await runSuite();
console.log(JSON.stringify(result));
process.exit(result.failed === 0 ? 0 : 1);
