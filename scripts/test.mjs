// `npm test`: every test layer this machine can run, in order, then one closing
// line `N passed, N failed` over all layers.
//   unit         plain Node (node:test through tsx): engine, data, experiments, runs, protocols, webview logic
//   integration  mocha inside a real VS Code extension host (code-server)
//   e2e          Playwright + Debian Chromium driving code-server's UI
// `--only <layer>` runs one layer. Each layer reports { passed, failed } as JSON on its last stdout line.
// Before the first layer it sets up what the chosen layers need on a fresh clone: Debian
// packages (installed as root, otherwise it prints the apt-get command and stops), `npm ci`,
// and the test tools (Node 24 + code-server in MODEL_LAB_TOOLS) for the VS Code layers.
// A layer that crashes or ends without its result line counts as failed, with the reason.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './setup/dependencies.mjs';
import { setUpOrExit } from './setup/setupError.mjs';
import { ensureSystemPackages, PACKAGE_GROUPS } from './setup/systemPackages.mjs';
import { ensureTestTools } from './setup/testTools.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repo);

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const filter = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

/** Runs a layer's process, echoing its stdout; `crash` says why it ended abnormally, if it did. */
function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    let startError;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    });
    child.on('error', (error) => (startError = error));
    child.on('close', (code, signal) => {
      const crash = startError
        ? `could not start ${command}: ${startError.message}`
        : signal
          ? `it was killed by ${signal}`
          : undefined;
      resolve({ code: code ?? 1, tail, crash });
    });
  });
}

/** A layer that did not report its own result: one failure, and the reason on stderr. */
function crashed(name, reason) {
  console.error(`\n✖ the ${name} layer crashed: ${reason}. Its output is above; it counts as 1 failed.`);
  return { passed: 0, failed: 1 };
}

function countFrom(tail, pattern) {
  const match = [...tail.matchAll(pattern)].pop();
  return match ? Number(match[1]) : undefined;
}

async function unit() {
  let files = findTests('test/unit');
  if (filter) files = files.filter((f) => f.includes(filter));
  // With no files, node --test would discover every test-like file itself, the code-server layers included.
  if (files.length === 0) {
    console.error(`no unit test file's path contains "${filter}"`);
    return { passed: 0, failed: 1 };
  }
  const { code, tail, crash } = await run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=1',
    ...files,
  ]);
  if (crash) return crashed('unit', crash);
  const passed = countFrom(tail, /ℹ pass (\d+)/g);
  const failed = countFrom(tail, /ℹ fail (\d+)/g);
  if (passed === undefined || failed === undefined)
    return crashed('unit', `node --test exited with code ${code} before its summary`);
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

async function layerScript(name, script) {
  const { code, tail, crash } = await run(process.execPath, [script, ...(filter ? ['--grep', filter] : [])]);
  if (crash) return crashed(name, crash);
  const last = tail.trim().split('\n').pop() ?? '';
  let result;
  try {
    result = JSON.parse(last);
  } catch {
    return crashed(name, `${script} exited with code ${code} without its {"passed":N,"failed":N} line`);
  }
  return { passed: result.passed, failed: code !== 0 && result.failed === 0 ? 1 : result.failed };
}

/** Each layer with the Debian packages it needs and whether it runs in code-server. */
const layers = {
  unit: { run: unit, packages: [PACKAGE_GROUPS.pytorch], vscode: false },
  integration: {
    run: () => layerScript('integration', 'test/integration/runIntegration.mjs'),
    packages: [PACKAGE_GROUPS.browser],
    vscode: true,
  },
  e2e: {
    run: () => layerScript('e2e', 'test/e2e/runE2e.mjs'),
    packages: [PACKAGE_GROUPS.browser],
    vscode: true,
  },
};

if (only !== undefined && !(only in layers)) {
  console.error(`--only takes one of ${Object.keys(layers).join(', ')}; got ${only}`);
  process.exit(2);
}
const chosen = Object.entries(layers).filter(([name]) => !only || only === name);

await setUpOrExit(() => {
  ensureSystemPackages([...new Set(chosen.flatMap(([, layer]) => layer.packages))]);
  ensureDependencies(repo);
  if (chosen.some(([, layer]) => layer.vscode)) ensureTestTools();
});

let passed = 0;
let failed = 0;
for (const [name, layer] of chosen) {
  console.log(`\n=== ${name} tests ===`);
  const result = await layer.run();
  console.log(`=== ${name}: ${result.passed} passed, ${result.failed} failed ===`);
  passed += result.passed;
  failed += result.failed;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
