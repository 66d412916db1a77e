// Runs inside the real extension host (code-server): VS Code loads this module
// from the `extensionTestsPath` payload and calls `run()`. Every
// `*.test.js` compiled next to this file (from test/integration/suite/**/*.test.ts)
// is added to one mocha run (tdd interface: `suite` / `test`). Results go to the
// file named by MODEL_LAB_TEST_RESULTS, because the host's console output reaches
// the runner only mangled.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type { ReportingTest } from './reportFigure';

export interface IntegrationResults {
  passed: number;
  failed: number;
  /** `report`: a figure the test measured (reportFigure.ts). */
  tests: { title: string; state: 'passed' | 'failed'; error?: string; report?: string }[];
}

function findCompiledTests(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return findCompiledTests(path);
      return name.endsWith('.test.js') ? [path] : [];
    })
    .sort();
}

export function run(): Promise<void> {
  const grep = process.env.MODEL_LAB_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  for (const file of findCompiledTests(__dirname)) mocha.addFile(file);
  const results: IntegrationResults = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run();
    runner.on('pass', (test: ReportingTest) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', report: test.report });
    });
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? error.message });
    });
    runner.on('end', () => {
      const resultsFile = process.env.MODEL_LAB_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (results.failed > 0) reject(new Error(`${results.failed} integration tests failed`));
      else resolve();
    });
  });
}
