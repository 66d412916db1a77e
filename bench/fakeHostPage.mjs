// A local page that stands in for VS Code around a bundled webview script:
// acquireVsCodeApi records posted messages, a few --vscode-* theme variables are
// set, and host messages are delivered with a synchronous MessageEvent so the
// caller can time exactly what the webview does with one message.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { register } from 'tsx/cjs/api';

const THEME = `
  body.vscode-dark {
    --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e;
    --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
    --vscode-charts-purple: #b180d7; --vscode-charts-red: #f14c4c; --vscode-charts-yellow: #cca700;
    --vscode-panel-border: #444444; --vscode-font-family: sans-serif; --vscode-font-size: 13px;
  }`;

/** Loads `dist/webview/<script>` into `page` behind the fake host, with the shared and `styles` sheets of media/. */
export async function loadWebview(page, repo, script, styles = []) {
  const css = ['webview.css', 'panels.css', ...styles]
    .map((f) => readFileSync(join(repo, 'media', f), 'utf8'))
    .join('\n');
  await page.setContent(
    `<!DOCTYPE html><html><head><style>${THEME}\n${css}</style></head><body class="vscode-dark"></body></html>`,
  );
  await page.evaluate(() => {
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => (window.__state = s),
    });
    window.__deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
  });
  await page.addScriptTag({ path: join(repo, 'dist', 'webview', script) });
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
}

/** Opens a page in the UI tests' headless Chromium (their TypeScript launcher, compiled by tsx), runs `use`, closes it. */
export async function withBenchPage(use) {
  register();
  const require = createRequire(import.meta.url);
  const { launchBrowser } = require('../test/e2e/helpers/browser.ts');
  const { createScratch } = require('../test/e2e/helpers/scratch.ts');
  const scratch = createScratch('bench');
  const browser = await launchBrowser(scratch);
  try {
    await use(await browser.newPage());
  } finally {
    await browser.close();
    scratch.remove();
  }
}
