// `npm test`: every test layer this machine can run, in order, then one closing
// line `N passed, N failed` over all layers.
//   unit         plain Node (node:test through tsx): engine, data, experiments, runs, protocols, webview logic
//   integration  mocha inside a real VS Code extension host (code-server)
//   e2e          Playwright + Debian Chromium driving code-server's UI
// `--only <layer>` runs one layer. Each layer reports { passed, failed } as JSON on its last stdout line.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

function run(command, commandArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

function countFrom(tail, pattern) {
  const match = [...tail.matchAll(pattern)].pop();
  return match ? Number(match[1]) : undefined;
}

async function unit() {
  let files = findTests('test/unit');
  if (filter) files = files.filter((f) => f.includes(filter));
  const { code, tail } = await run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=1',
    ...files,
  ]);
  const passed = countFrom(tail, /ℹ pass (\d+)/g) ?? 0;
  const failed = countFrom(tail, /ℹ fail (\d+)/g) ?? (code === 0 ? 0 : 1);
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

/** Node 24 + code-server for the VS Code layers: installed once into a cache, a no-op when present. */
let toolsReady;
function ensureTestTools() {
  toolsReady ??= run('bash', ['scripts/install-test-tools.sh']).then(({ code }) => code === 0);
  return toolsReady;
}

async function layerScript(script) {
  if (!(await ensureTestTools())) return { passed: 0, failed: 1 };
  const { code, tail } = await run(process.execPath, [script, ...(filter ? ['--grep', filter] : [])]);
  const last = tail.trim().split('\n').pop() ?? '';
  try {
    const result = JSON.parse(last);
    return { passed: result.passed, failed: code !== 0 && result.failed === 0 ? 1 : result.failed };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const layers = {
  unit,
  integration: () => layerScript('test/integration/runIntegration.mjs'),
  e2e: () => layerScript('test/e2e/runE2e.mjs'),
};

let passed = 0;
let failed = 0;
for (const [name, runLayer] of Object.entries(layers)) {
  if (only && only !== name) continue;
  console.log(`\n=== ${name} tests ===`);
  const result = await runLayer();
  console.log(`=== ${name}: ${result.passed} passed, ${result.failed} failed ===`);
  passed += result.passed;
  failed += result.failed;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
